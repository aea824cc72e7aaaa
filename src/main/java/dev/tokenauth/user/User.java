package dev.tokenauth.user;

import java.time.Instant;

import dev.tokenauth.token.Principal;

/**
 * A stored user. {@code tokenCount} moves on at every logout; refresh tokens carry the count they
 * were minted with, so moving it on voids them all.
 */
public record User(String userId, String username, String passwordHash, long tokenCount, Instant createdAt) {

    public Principal principal() {
        return new Principal(userId, username, tokenCount);
    }

    /** True when the token was minted for this very user (not an earlier holder of the name) and is current. */
    public boolean isCurrentFor(Principal principal) {
        return userId.equals(principal.userId()) && tokenCount == principal.tokenCount();
    }

    @Override
    public String toString() {
        return "User[userId=" + userId + ", username=" + username + ", tokenCount=" + tokenCount + "]";
    }
}
