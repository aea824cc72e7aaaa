package dev.tokenauth.user;

import java.util.function.Supplier;

/**
 * The one loop of optimistic concurrency: an attempt reads, decides and writes on condition that
 * nothing changed; when another request wrote first it reports a {@link Attempt#conflict()}, and the
 * decision is taken again on the state that won.
 */
public final class ConflictRetry {

    /** Writes of one item rarely collide; a few tries settle any realistic race. */
    public static final int USER_WRITES = 5;

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
        }
        throw new UserStoreUnavailableException("Too many concurrent changes to one item", null);
    }
}
