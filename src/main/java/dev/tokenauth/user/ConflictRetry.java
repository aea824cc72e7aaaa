package dev.tokenauth.user;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The one loop of optimistic concurrency: an attempt reads, decides and writes on condition that
 * nothing changed; when another request wrote first it reports a {@link Attempt#conflict()}, and the
 * decision is taken again on the state that won. Each conflict means another request's write
 * succeeded; between tries the loop waits a random time (full jitter, AWS's "Exponential Backoff
 * and Jitter") so that writers of one item stop colliding in lockstep.
 */
public final class ConflictRetry {

    /**
     * Tries per write of one item: more than a user's sessions at the default {@code MAX_SESSIONS}
     * (10), so all of them rotating at once, each losing to every other once, still get through.
     */
    public static final int USER_WRITES = 12;
    /** The first wait's upper bound; it doubles per conflict up to {@link #MAX_WAIT_MILLIS}. */
    static final long FIRST_WAIT_MILLIS = 2;
    /** Bounds all waits of one write to well under a second of the request's time. */
    static final long MAX_WAIT_MILLIS = 64;

    private ConflictRetry() {
    }

    /** What one attempt came to: a result (which may be null), or a conflict to decide again on. */
    public static final class Attempt<T> {
        private static final Attempt<?> CONFLICT = new Attempt<>(false, null);

        private final boolean done;
        private final T result;

        private Attempt(boolean done, T result) {
            this.done = done;
            this.result = result;
        }

        public static <T> Attempt<T> done(T result) {
            return new Attempt<>(true, result);
        }

        @SuppressWarnings("unchecked")
        public static <T> Attempt<T> conflict() {
            return (Attempt<T>) CONFLICT;
        }

        /** Done with {@code result} if the conditional write succeeded, a conflict otherwise. */
        public static <T> Attempt<T> writtenOr(boolean written, T result) {
            return written ? done(result) : conflict();
        }
    }

    public static <T> T untilWritten(Supplier<Attempt<T>> attempt) {
        return untilWritten(USER_WRITES, attempt);
    }

    public static <T> T untilWritten(int maxAttempts, Supplier<Attempt<T>> attempt) {
        for (int i = 0; i < maxAttempts; i++) {
            Attempt<T> outcome = attempt.get();
            if (outcome.done) {
                return outcome.result;
            }
            if (i + 1 < maxAttempts) {
                waitBeforeTry(i);
            }
        }
        throw new UserStoreUnavailableException("Too many concurrent changes to one item", null);
    }

    private static void waitBeforeTry(int conflicts) {
        long bound = Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << Math.min(conflicts, 20));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserStoreUnavailableException("Interrupted while retrying a write", e);
        }
    }
}
