package dev.tokenauth.session;

import java.util.Optional;

import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;

/**
 * What the token middleware concluded: who the request speaks for, if anyone, and the new pair to
 * send back when it had to fall back on the refresh token.
 */
public record AuthOutcome(Optional<Principal> principal, Optional<TokenPair> refreshedTokens) {

    public static final AuthOutcome ANONYMOUS = new AuthOutcome(Optional.empty(), Optional.empty());

    public static AuthOutcome authenticated(Principal principal) {
        return new AuthOutcome(Optional.of(principal), Optional.empty());
    }

    public static AuthOutcome refreshed(Principal principal, TokenPair tokens) {
        return new AuthOutcome(Optional.of(principal), Optional.of(tokens));
    }
}
