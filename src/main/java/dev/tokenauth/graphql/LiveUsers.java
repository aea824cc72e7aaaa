package dev.tokenauth.graphql;

import java.util.Optional;

import dev.tokenauth.token.Principal;
import dev.tokenauth.user.User;

/** The stored user behind a token, if the token's session is still live; one store read. */
@FunctionalInterface
public interface LiveUsers {

    Optional<User> find(Principal principal);
}
