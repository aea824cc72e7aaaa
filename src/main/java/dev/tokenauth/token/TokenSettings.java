package dev.tokenauth.token;

import java.time.Duration;
import java.util.Optional;

/**
 * The keys and lifetimes a {@link TokenService} works with. Each kind of token has a current key,
 * which signs, and during a key rotation the previous key, which still verifies.
 */
public record TokenSettings(String issuer, byte[] accessSecret, Optional<byte[]> previousAccessSecret,
                            byte[] refreshSecret, Optional<byte[]> previousRefreshSecret,
                            Duration accessTtl, Duration refreshTtl, Duration deviceTtl) {

    /** How long a device stays trusted after a successful login from it, unless configured. */
    public static final Duration DEFAULT_DEVICE_TTL = Duration.ofDays(365);

    public TokenSettings(String issuer, byte[] accessSecret, Optional<byte[]> previousAccessSecret,
                         byte[] refreshSecret, Optional<byte[]> previousRefreshSecret,
                         Duration accessTtl, Duration refreshTtl) {
        this(issuer, accessSecret, previousAccessSecret, refreshSecret, previousRefreshSecret, accessTtl, refreshTtl,
                DEFAULT_DEVICE_TTL);
    }

    /** Settings with no previous keys. */
    public TokenSettings(String issuer, byte[] accessSecret, byte[] refreshSecret, Duration accessTtl,
                         Duration refreshTtl) {
        this(issuer, accessSecret, Optional.empty(), refreshSecret, Optional.empty(), accessTtl, refreshTtl,
                DEFAULT_DEVICE_TTL);
    }

    @Override
    public String toString() {
        return "TokenSettings[issuer=" + issuer + ", accessTtl=" + accessTtl + ", refreshTtl=" + refreshTtl
                + ", deviceTtl=" + deviceTtl + "]";
    }
}
