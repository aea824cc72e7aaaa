package dev.tokenauth.account;

import java.time.Duration;
import java.time.Instant;

import dev.tokenauth.audit.SourceAddress;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.user.AttemptCounters;

/**
 * At most {@code maxPerWindow} registrations per source network (an IPv4 address, an IPv6 /64, in
 * one spelling: {@link SourceAddress}) in a fixed window that starts with the first one: each
 * attempt is counted, by compare-and-set, before any lookup or hashing.
 */
public final class RegistrationThrottle {

    static final String KEY_PREFIX = "register-ip#";

    private final WindowCounter counter;

    public RegistrationThrottle(AttemptCounters counters, int maxPerWindow, Duration window) {
        this.counter = new WindowCounter(counters, maxPerWindow, window);
    }

    /** Counts one registration attempt from {@code sourceIp}; throws when the window's budget is spent. */
    public void count(String sourceIp, Instant now) {
        counter.count(KEY_PREFIX + SourceAddress.network(sourceIp), now).ifPresent(seconds -> {
            throw throttled(seconds);
        });
    }

    /** The refusal of a registration while the source's budget is spent. */
    public static ApiError throttled(long seconds) {
        return ApiError.builder(ErrorType.REGISTRATION_THROTTLED)
                .message("Too many registrations from this address: retry in " + seconds + " seconds")
                .retryAfterSeconds(seconds).build();
    }
}
