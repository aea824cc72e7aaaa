package dev.tokenauth.user;

import java.time.Instant;
import java.util.Optional;

/**
 * Counters of attempts (failed-login budgets per name and per device, registrations per source
 * address), changed only by compare-and-set: the decision a counter drives is the condition of the
 * write that counts, never an earlier read. A counter past its {@code expiresAt} is absent, whether
 * or not the store has removed it yet.
 */
public interface AttemptCounters {

    /** A counter's value: attempts so far, until when the key is locked, when the counter lapses. */
    record Counter(int count, Instant lockedUntil, Instant expiresAt) {
        /** No counter, or one past its expiry. */
        public static final Counter NONE = new Counter(0, Instant.EPOCH, Instant.EPOCH);

        public boolean isLive(Instant now) {
            return expiresAt.isAfter(now);
        }
    }

    /**
     * Stores {@code next} under {@code key} if the stored counter still is {@code expected}
     * ({@link Counter#NONE}: absent or expired at {@code now}). Empty when written; otherwise the
     * counter that is stored now ({@link Counter#NONE} if there is none that is live).
     */
    Optional<Counter> compareAndSet(String key, Counter expected, Counter next, Instant now);

    /** Forgets a counter. */
    void delete(String key);
}
