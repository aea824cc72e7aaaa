package dev.tokenauth.token;

import java.time.Duration;

/** The keys and lifetimes a {@link TokenService} works with. */
public record TokenSettings(String issuer, byte[] accessSecret, byte[] refreshSecret,
                            Duration accessTtl, Duration refreshTtl) {

    @Override
    public String toString() {
        return "TokenSettings[issuer=" + issuer + ", accessTtl=" + accessTtl + ", refreshTtl=" + refreshTtl + "]";
    }
}
