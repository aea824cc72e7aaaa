package dev.tokenauth.graphql;

import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.token.Principal;

/** What the resolvers know about the request beyond its arguments. */
public record RequestContext(Optional<Principal> principal, String requestId, Caller caller) {
}
