package dev.tokenauth.user;

import java.time.Instant;

/**
 * One login of one user (one device): its refresh tokens form a chain of generations. Only the
 * newest generation may refresh; {@code rotatedAt} is when it was minted, which is also the issue
 * time of its tokens, so they can be minted again identically within the grace window.
 */
public record Session(String id, long generation, Instant rotatedAt, Instant createdAt) {

    public Session next(Instant now) {
        return new Session(id, generation + 1, now, createdAt);
    }
}
