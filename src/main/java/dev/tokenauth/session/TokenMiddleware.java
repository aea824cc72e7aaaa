package dev.tokenauth.session;

import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.token.DpopProofs;
import dev.tokenauth.token.TokenClaims;
import dev.tokenauth.token.TokenService;

/**
 * The tutorial's middleware as a function: a valid access token is trusted without reading the
 * database; otherwise a valid refresh token whose count still matches the stored user's mints a
 * new pair. An invalid or stale token is not an error by itself: the request simply goes on
 * unauthenticated, and resolvers that need a user say so. A DPoP-bound access token counts only
 * with a proof from its key; a bound refresh token, see {@link SessionService#refresh}.
 */
public final class TokenMiddleware {

    private final TokenService tokens;
    private final SessionService sessions;

    public TokenMiddleware(TokenService tokens, SessionService sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    public AuthOutcome authenticate(String accessToken, String refreshToken, Caller caller) {
        return authenticate(accessToken, refreshToken, caller, null);
    }

    /** With the request's verified DPoP proof (its {@code ath} already matched {@code accessToken}), or null. */
    public AuthOutcome authenticate(String accessToken, String refreshToken, Caller caller, DpopProofs.Proof proof) {
        if (isBlank(accessToken) && isBlank(refreshToken)) {
            return AuthOutcome.ANONYMOUS;
        }
        Optional<TokenClaims> fromAccess = tokens.verifyAccessClaims(accessToken);
        boolean boundWithoutProof = false;
        if (fromAccess.isPresent()) {
            String bound = fromAccess.get().keyThumbprint();
            if (bound == null || (proof != null && bound.equals(proof.thumbprint()))) {
                return AuthOutcome.authenticated(fromAccess.get().principal());
            }
            boundWithoutProof = true;
        }
        Optional<AuthOutcome> refreshed = tokens.verifyRefresh(refreshToken)
                .flatMap(claims -> sessions.refresh(claims, caller, proof))
                .map(AuthOutcome::refreshed);
        // A refusal says why only where a bound access token was sent: a refresh token alone reveals nothing.
        return refreshed.orElse(boundWithoutProof ? AuthOutcome.BOUND_WITHOUT_PROOF : AuthOutcome.ANONYMOUS);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
