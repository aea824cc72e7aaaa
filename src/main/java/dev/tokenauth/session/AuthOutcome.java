package dev.tokenauth.session;

import java.util.Optional;

import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;

/**
 * What the token middleware concluded: who the request speaks for, if anyone; the new pair to
 * send back when it had to fall back on the refresh token; and the caller's user item when the
 * middleware already holds it (the item a refresh wrote), so that nothing reads it again.
 * {@code proofMissing}: the request carried a DPoP-bound token without a valid proof from its key,
 * which the answer says with {@code WWW-Authenticate: DPoP} (RFC 9449, section 7.1).
 */
public record AuthOutcome(Optional<Principal> principal, Optional<TokenPair> refreshedTokens, Optional<User> liveUser,
                          boolean proofMissing) {

    public static final AuthOutcome ANONYMOUS = new AuthOutcome(Optional.empty(), Optional.empty(), Optional.empty(),
            false);
    static final AuthOutcome BOUND_WITHOUT_PROOF = new AuthOutcome(Optional.empty(), Optional.empty(),
            Optional.empty(), true);

    public AuthOutcome(Optional<Principal> principal, Optional<TokenPair> refreshedTokens, Optional<User> liveUser) {
        this(principal, refreshedTokens, liveUser, false);
    }

    public static AuthOutcome authenticated(Principal principal) {
        return new AuthOutcome(Optional.of(principal), Optional.empty(), Optional.empty());
    }

    public static AuthOutcome refreshed(SessionService.Refreshed refreshed) {
        return new AuthOutcome(Optional.of(refreshed.principal()), Optional.of(refreshed.tokens()),
                Optional.of(refreshed.user()));
    }
}
