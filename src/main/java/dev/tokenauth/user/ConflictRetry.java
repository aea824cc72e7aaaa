package dev.tokenauth.user;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one loop of optimistic concurrency: an attempt reads, decides and writes on condition that
 * nothing changed; when another request wrote first it returns empty, and the decision is taken
 * again on the state that won.
 */
public final class ConflictRetry {

    /** Writes of one item rarely collide; a few tries settle any realistic race. */
    public static final int USER_WRITES = 5;

    private ConflictRetry() {
    }

    public static <T> T untilWritten(Supplier<Optional<T>> attempt) {
        return untilWritten(USER_WRITES, attempt);
    }

    public static <T> T untilWritten(int maxAttempts, Supplier<Optional<T>> attempt) {
        for (int i = 0; i < maxAttempts; i++) {
            Optional<T> done = attempt.get();
            if (done.isPresent()) {
                return done.get();
            }
        }
        throw new UserStoreUnavailableException("Too many concurrent changes to one item", null);
    }
}
