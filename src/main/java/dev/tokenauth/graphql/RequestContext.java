package dev.tokenauth.graphql;

import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.User;

/**
 * What the resolvers know about the request beyond its arguments; read it through {@link Auth}.
 * {@code liveUser} is the caller's stored user when authentication already holds it (a refresh
 * wrote it), so that live checks do not read it again.
 */
public record RequestContext(Optional<Principal> principal, Optional<User> liveUser, Caller caller) {

    public RequestContext(Optional<Principal> principal, Caller caller) {
        this(principal, Optional.empty(), caller);
    }

    /** A request known by its id only (tests, priming). */
    public RequestContext(Optional<Principal> principal, String requestId) {
        this(principal, Optional.empty(), new Caller(requestId, null, null));
    }

    public String requestId() {
        return caller.requestId();
    }
}
