package dev.tokenauth.token;

import java.util.Set;

/**
 * Who a verified token speaks for, and in which session. {@code tokenCount} is the user's count
 * when the token was minted: once the stored count moves on (logout everywhere, a password
 * change), tokens carrying the old one are void. {@code sessionId} names the login (one device)
 * the token belongs to: ending that session voids its tokens and no other. {@code roles} are the
 * user's roles when the token was minted (access tokens carry them; refresh tokens do not).
 */
public record Principal(String userId, String username, long tokenCount, String sessionId, Set<String> roles) {

    public Principal {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** A principal without roles. */
    public Principal(String userId, String username, long tokenCount, String sessionId) {
        this(userId, username, tokenCount, sessionId, Set.of());
    }
}
