package dev.tokenauth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.tokenauth.user.AttemptCounters;

/**
 * Exponential back-off after failed logins (OWASP authentication cheat sheet): the first
 * {@code freeAttempts} attempts cost nothing; the attempt that uses up the budget, and each one
 * after it, locks the budget for twice as long as the one before: 5 seconds, 10, 20, ... up to
 * {@code maxLock}. Attempts are counted before the password is checked; a success forgets them.
 */
public record LoginBackoff(int freeAttempts, Duration maxLock) {

    public static final LoginBackoff DEFAULT = new LoginBackoff(5, Duration.ofMinutes(15));
    private static final Duration FIRST_LOCK = Duration.ofSeconds(5);

    /** Until when the counter locks its budget, if it does at {@code now}. */
    public Optional<Instant> lockedUntil(AttemptCounters.Counter counter, Instant now) {
        return counter.isLive(now) && counter.lockedUntil().isAfter(now)
                ? Optional.of(counter.lockedUntil()) : Optional.empty();
    }

    /** The counter after one more attempt at {@code now}, with the lock that attempt leaves behind. */
    public AttemptCounters.Counter afterAttempt(AttemptCounters.Counter counter, Instant now) {
        int count = (counter.isLive(now) ? counter.count() : 0) + 1;
        Instant lockedUntil = Instant.EPOCH;
        if (count >= freeAttempts) {
            int doublings = Math.min(count - freeAttempts, 30);
            Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
            lockedUntil = now.plus(lock.compareTo(maxLock) > 0 ? maxLock : lock);
        }
        return new AttemptCounters.Counter(count, lockedUntil, now.plus(memory()));
    }

    /** How long after its last attempt a counter still counts: the longest lock, and then some. */
    public Duration memory() {
        return maxLock.multipliedBy(4);
    }
}
