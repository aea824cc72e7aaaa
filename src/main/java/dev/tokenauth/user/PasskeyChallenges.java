package dev.tokenauth.user;

import java.time.Instant;

/**
 * WebAuthn challenges the server handed out, until they are answered: each is consumed once, by a
 * conditional delete that is the whole decision (it exists, is for this ceremony and this user,
 * and has not expired), so of two answers with one challenge at most one passes.
 */
public interface PasskeyChallenges {

    /** Which ceremony a challenge is for; a challenge of one is refused by the other. */
    enum Purpose { REGISTRATION, AUTHENTICATION }

    /** Remembers {@code challenge} until {@code expiresAt}; {@code userId} is null for a sign-in. */
    void store(byte[] challenge, Purpose purpose, String userId, Instant expiresAt);

    /**
     * Removes {@code challenge} if it is stored for {@code purpose} and {@code userId} (null for a
     * sign-in) and not expired at {@code now}. False otherwise, and nothing changes.
     */
    boolean consume(byte[] challenge, Purpose purpose, String userId, Instant now);
}
