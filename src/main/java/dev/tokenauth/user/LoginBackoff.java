package dev.tokenauth.user;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Exponential back-off after failed logins (OWASP authentication cheat sheet): the first
 * {@code freeAttempts} failures cost nothing, then the name is locked after each failure, for
 * twice as long as the time before: 5 seconds, 10, 20, ... up to {@code maxLock}.
 */
public record LoginBackoff(int freeAttempts, Duration maxLock) {

    public static final LoginBackoff DEFAULT = new LoginBackoff(5, Duration.ofMinutes(15));
    private static final Duration FIRST_LOCK = Duration.ofSeconds(5);

    /** Until when the name is locked, if it is. */
    public Optional<Instant> lockedUntil(LoginAttempts.Failures failures, Instant now) {
        if (failures.count() < freeAttempts) {
            return Optional.empty();
        }
        int doublings = Math.min(failures.count() - freeAttempts, 30);
        Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
        Instant until = failures.last().plus(lock.compareTo(maxLock) > 0 ? maxLock : lock);
        return until.isAfter(now) ? Optional.of(until) : Optional.empty();
    }

    /** How long failure records must be kept to still lock: the longest lock, and then some. */
    public Duration memory() {
        return maxLock.multipliedBy(4);
    }
}
