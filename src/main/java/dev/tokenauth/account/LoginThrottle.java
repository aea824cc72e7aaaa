package dev.tokenauth.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.user.AttemptCounters;
import dev.tokenauth.user.ConflictRetry;

/**
 * Failed-login budgets: one per attempted name (existing or not, so a lock looks the same either
 * way), one per trusted device, and one per session for the checks of its own password. An attempt is counted before its password is checked, by a
 * compare-and-set whose condition is the counter it decided on: concurrent guesses each take their
 * own place in the count, and no more than the free attempts get past a lock.
 */
public final class LoginThrottle {

    static final String NAME_PREFIX = "login-attempts#";
    static final String DEVICE_PREFIX = "login-device#";
    static final String INVALID_NAME_PREFIX = "login-invalid#";
    static final String SESSION_PREFIX = "password-session#";

    private final AttemptCounters counters;
    private final LoginBackoff backoff;

    public LoginThrottle(AttemptCounters counters, LoginBackoff backoff) {
        this.counters = counters;
        this.backoff = backoff;
    }

    /**
     * Whose failures an attempt spends: the name's shared budget, one trusted device's own, or,
     * for a logged-in session checking its own password, that session's.
     */
    public record Budget(String key) {
        public static Budget ofName(String username) {
            return new Budget(NAME_PREFIX + username);
        }

        /** A name no account can have, as typed: by digest, since it has no length limit. */
        public static Budget ofInvalidName(String typed) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256")
                        .digest(String.valueOf(typed).getBytes(StandardCharsets.UTF_8));
                return new Budget(INVALID_NAME_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }

        public static Budget ofSession(String sessionId) {
            return new Budget(SESSION_PREFIX + sessionId);
        }

        public static Budget ofDevice(String deviceId) {
            return new Budget(DEVICE_PREFIX + deviceId);
        }
    }

    /** Counts one attempt; throws {@link #throttled} without counting when the budget is locked. */
    public void count(Budget budget, Instant now) {
        // Every lost race is someone else's counted attempt, so the free attempts bound the retries.
        var expected = new AttemptCounters.Counter[] {AttemptCounters.Counter.NONE};
        ConflictRetry.untilWritten(backoff.freeAttempts() + ConflictRetry.USER_WRITES, () -> {
            backoff.lockedUntil(expected[0], now).ifPresent(until -> {
                throw LoginThrottle.throttled(Math.max(1, Duration.between(now, until).toSeconds()));
            });
            Optional<AttemptCounters.Counter> stored =
                    counters.compareAndSet(budget.key(), expected[0], backoff.afterAttempt(expected[0], now), now);
            stored.ifPresent(current -> expected[0] = current);
            return ConflictRetry.Attempt.writtenOr(stored.isEmpty(), true);
        });
    }

    /** The refusal of an attempt while its budget is locked. */
    public static ApiError throttled(long seconds) {
        return ApiError.builder(ErrorType.LOGIN_THROTTLED)
                .message("Too many failed logins for this username: retry in " + seconds + " seconds")
                .retryAfterSeconds(seconds).build();
    }

    /** Forgets the attempts after a success. */
    public void reset(Budget budget) {
        counters.delete(budget.key());
    }
}
