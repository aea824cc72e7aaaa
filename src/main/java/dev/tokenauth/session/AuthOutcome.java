package dev.tokenauth.session;

import java.util.Optional;

import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;

/**
 * What the token middleware concluded: who the request speaks for, if anyone; the new pair to
 * send back when it had to fall back on the refresh token; and the caller's user item when the
 * middleware already holds it (the item a refresh wrote), so that nothing reads it again.
 */
public record AuthOutcome(Optional<Principal> principal, Optional<TokenPair> refreshedTokens, Optional<User> liveUser) {

    public static final AuthOutcome ANONYMOUS = new AuthOutcome(Optional.empty(), Optional.empty(), Optional.empty());

    public static AuthOutcome authenticated(Principal principal) {
        return new AuthOutcome(Optional.of(principal), Optional.empty(), Optional.empty());
    }

    public static AuthOutcome refreshed(SessionService.Refreshed refreshed) {
        return new AuthOutcome(Optional.of(refreshed.principal()), Optional.of(refreshed.tokens()),
                Optional.of(refreshed.user()));
    }
}
