package dev.tokenauth.token;

import java.time.Duration;
import java.util.Optional;

/**
 * The keys and lifetimes a {@link TokenService} works with. Each kind of token has a current key,
 * which signs, and during a key rotation the previous key, which still verifies.
 */
public record TokenSettings(String issuer, byte[] accessSecret, Optional<byte[]> previousAccessSecret,
                            byte[] refreshSecret, Optional<byte[]> previousRefreshSecret,
                            Duration accessTtl, Duration refreshTtl) {

    /** Settings with no previous keys. */
    public TokenSettings(String issuer, byte[] accessSecret, byte[] refreshSecret, Duration accessTtl,
                         Duration refreshTtl) {
        this(issuer, accessSecret, Optional.empty(), refreshSecret, Optional.empty(), accessTtl, refreshTtl);
    }

    @Override
    public String toString() {
        return "TokenSettings[issuer=" + issuer + ", accessTtl=" + accessTtl + ", refreshTtl=" + refreshTtl + "]";
    }
}
