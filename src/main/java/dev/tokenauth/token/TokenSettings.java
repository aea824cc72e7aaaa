package dev.tokenauth.token;

import java.time.Duration;
import java.util.Optional;

/**
 * The keys and lifetimes a {@link TokenService} works with. Each kind of token has a current key,
 * which signs, and during a key rotation the previous key, which still verifies. The access key
 * may also have a next key, announced in the JWKS before it signs. Access tokens are ES256 under
 * a P-256 key derived from the access secret, and carry {@code audience} in {@code aud}.
 */
public record TokenSettings(String issuer, String audience, byte[] accessSecret, Optional<byte[]> previousAccessSecret,
                            Optional<byte[]> nextAccessSecret, byte[] refreshSecret,
                            Optional<byte[]> previousRefreshSecret, Duration accessTtl, Duration refreshTtl,
                            Duration deviceTtl) {

    /** How long a device stays trusted after a successful login from it, unless configured. */
    public static final Duration DEFAULT_DEVICE_TTL = Duration.ofDays(365);
    /** The {@code aud} of access tokens, unless configured. */
    public static final String DEFAULT_AUDIENCE = "token-auth-graphql";

    public TokenSettings(String issuer, byte[] accessSecret, Optional<byte[]> previousAccessSecret,
                         byte[] refreshSecret, Optional<byte[]> previousRefreshSecret,
                         Duration accessTtl, Duration refreshTtl) {
        this(issuer, DEFAULT_AUDIENCE, accessSecret, previousAccessSecret, Optional.empty(), refreshSecret,
                previousRefreshSecret, accessTtl, refreshTtl, DEFAULT_DEVICE_TTL);
    }

    /** Settings with no previous or next keys. */
    public TokenSettings(String issuer, byte[] accessSecret, byte[] refreshSecret, Duration accessTtl,
                         Duration refreshTtl) {
        this(issuer, DEFAULT_AUDIENCE, accessSecret, Optional.empty(), Optional.empty(), refreshSecret,
                Optional.empty(), accessTtl, refreshTtl, DEFAULT_DEVICE_TTL);
    }

    @Override
    public String toString() {
        return "TokenSettings[issuer=" + issuer + ", audience=" + audience + ", accessTtl=" + accessTtl
                + ", refreshTtl=" + refreshTtl + ", deviceTtl=" + deviceTtl + "]";
    }
}
