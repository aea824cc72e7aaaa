package dev.tokenauth.graphql;

import java.util.Optional;

import dev.tokenauth.token.Principal;

/** What the resolvers know about the request beyond its arguments; read it through {@link Auth}. */
public record RequestContext(Optional<Principal> principal, String requestId) {
}
