package dev.tokenauth.graphql;

import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.token.Principal;

/** What the resolvers know about the request beyond its arguments; read it through {@link Auth}. */
public record RequestContext(Optional<Principal> principal, Caller caller) {

    /** A request known by its id only (tests, priming). */
    public RequestContext(Optional<Principal> principal, String requestId) {
        this(principal, new Caller(requestId, null, null));
    }

    public String requestId() {
        return caller.requestId();
    }
}
