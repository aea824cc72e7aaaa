package dev.tokenauth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import dev.tokenauth.user.AttemptCounters;
import dev.tokenauth.user.ConflictRetry;

/**
 * At most {@code maxPerWindow} attempts per key in a fixed window that starts with the first one:
 * each attempt is counted by compare-and-set, before the work it guards, so concurrent attempts
 * each take their own place in the count.
 */
final class WindowCounter {

    private final AttemptCounters counters;
    private final int maxPerWindow;
    private final Duration window;

    WindowCounter(AttemptCounters counters, int maxPerWindow, Duration window) {
        this.counters = counters;
        this.maxPerWindow = maxPerWindow;
        this.window = window;
    }

    /** Counts one attempt under {@code key}; empty when counted, else the seconds until the window ends. */
    OptionalLong count(String key, Instant now) {
        var expected = new AttemptCounters.Counter[] {AttemptCounters.Counter.NONE};
        return ConflictRetry.untilWritten(maxPerWindow + ConflictRetry.USER_WRITES, () -> {
            AttemptCounters.Counter current = expected[0];
            boolean live = current.isLive(now);
            if (live && current.count() >= maxPerWindow) {
                return ConflictRetry.Attempt.done(
                        OptionalLong.of(Math.max(1, Duration.between(now, current.expiresAt()).toSeconds())));
            }
            var next = live
                    ? new AttemptCounters.Counter(current.count() + 1, Instant.EPOCH, current.expiresAt())
                    : new AttemptCounters.Counter(1, Instant.EPOCH, now.plus(window));
            Optional<AttemptCounters.Counter> stored = counters.compareAndSet(key, current, next, now);
            stored.ifPresent(found -> expected[0] = found);
            return ConflictRetry.Attempt.writtenOr(stored.isEmpty(), OptionalLong.empty());
        });
    }
}
