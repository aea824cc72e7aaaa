package dev.tokenauth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.tokenauth.audit.SourceAddress;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.user.AttemptCounters;
import dev.tokenauth.user.ConflictRetry;

/**
 * At most {@code maxPerWindow} registrations per source network (an IPv4 address, an IPv6 /64, in
 * one spelling: {@link SourceAddress}) in a fixed window that starts with the first one: each
 * attempt is counted, by compare-and-set, before any lookup or hashing.
 */
public final class RegistrationThrottle {

    static final String KEY_PREFIX = "register-ip#";

    private final AttemptCounters counters;
    private final int maxPerWindow;
    private final Duration window;

    public RegistrationThrottle(AttemptCounters counters, int maxPerWindow, Duration window) {
        this.counters = counters;
        this.maxPerWindow = maxPerWindow;
        this.window = window;
    }

    /** Counts one registration attempt from {@code sourceIp}; throws when the window's budget is spent. */
    public void count(String sourceIp, Instant now) {
        String key = KEY_PREFIX + SourceAddress.network(sourceIp);
        var expected = new AttemptCounters.Counter[] {AttemptCounters.Counter.NONE};
        ConflictRetry.untilWritten(maxPerWindow + ConflictRetry.USER_WRITES, () -> {
            AttemptCounters.Counter current = expected[0];
            boolean live = current.isLive(now);
            if (live && current.count() >= maxPerWindow) {
                throw RegistrationThrottle.throttled(
                        Math.max(1, Duration.between(now, current.expiresAt()).toSeconds()));
            }
            var next = live
                    ? new AttemptCounters.Counter(current.count() + 1, Instant.EPOCH, current.expiresAt())
                    : new AttemptCounters.Counter(1, Instant.EPOCH, now.plus(window));
            Optional<AttemptCounters.Counter> stored = counters.compareAndSet(key, current, next, now);
            stored.ifPresent(found -> expected[0] = found);
            return ConflictRetry.Attempt.writtenOr(stored.isEmpty(), true);
        });
    }

    /** The refusal of a registration while the source's budget is spent. */
    public static ApiError throttled(long seconds) {
        return ApiError.builder(ErrorType.REGISTRATION_THROTTLED)
                .message("Too many registrations from this address: retry in " + seconds + " seconds")
                .retryAfterSeconds(seconds).build();
    }
}
