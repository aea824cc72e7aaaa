package dev.tokenauth.session;

import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenService;

/**
 * The tutorial's middleware as a function: a valid access token is trusted without reading the
 * database; otherwise a valid refresh token whose count still matches the stored user's mints a
 * new pair. An invalid or stale token is not an error by itself: the request simply goes on
 * unauthenticated, and resolvers that need a user say so.
 */
public final class TokenMiddleware {

    private final TokenService tokens;
    private final SessionService sessions;

    public TokenMiddleware(TokenService tokens, SessionService sessions) {
        this.tokens = tokens;
        this.sessions = sessions;
    }

    public AuthOutcome authenticate(String accessToken, String refreshToken, Caller caller) {
        if (isBlank(accessToken) && isBlank(refreshToken)) {
            return AuthOutcome.ANONYMOUS;
        }
        Optional<Principal> fromAccess = tokens.verifyAccess(accessToken);
        if (fromAccess.isPresent()) {
            return AuthOutcome.authenticated(fromAccess.get());
        }
        return tokens.verifyRefresh(refreshToken)
                .flatMap(claims -> sessions.refresh(claims, caller))
                .map(AuthOutcome::refreshed)
                .orElse(AuthOutcome.ANONYMOUS);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
