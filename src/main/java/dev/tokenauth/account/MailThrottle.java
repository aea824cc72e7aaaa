package dev.tokenauth.account;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.user.AttemptCounters;

/**
 * Mails with codes, counted per recipient and per source address before any other work, whether
 * or not the recipient has an account: nobody can mail-bomb an address or spend the sending quota
 * through the API, and the refusal looks the same for every address. The recipient's counter is
 * keyed by a keyed hash of the address, so the table holds no address of a stranger.
 */
public final class MailThrottle {

    static final String ADDRESS_PREFIX = "mail-to#";
    static final String SOURCE_PREFIX = "mail-ip#";

    private final WindowCounter perAddress;
    private final WindowCounter perSource;
    private final EmailCodes codes;

    public MailThrottle(AttemptCounters counters, int perAddressPerHour, int perSourcePerHour, EmailCodes codes) {
        this.perAddress = new WindowCounter(counters, perAddressPerHour, Duration.ofHours(1));
        this.perSource = new WindowCounter(counters, perSourcePerHour, Duration.ofHours(1));
        this.codes = codes;
    }

    /** Counts one mail to {@code address} asked from {@code sourceIp}; MAIL_THROTTLED when either budget is spent. */
    public void count(String address, String sourceIp, Instant now) {
        OptionalLong source = perSource.count(SOURCE_PREFIX + sourceIp, now);
        OptionalLong recipient = source.isPresent() ? OptionalLong.empty()
                : perAddress.count(ADDRESS_PREFIX + codes.addressKey(address), now);
        OptionalLong wait = source.isPresent() ? source : recipient;
        if (wait.isPresent()) {
            throw ApiError.builder(RecoveryError.MAIL_THROTTLED)
                    .message("Too many mails asked for: retry in " + wait.getAsLong() + " seconds")
                    .retryAfterSeconds(wait.getAsLong()).build();
        }
    }
}
