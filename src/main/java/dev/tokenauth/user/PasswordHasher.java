package dev.tokenauth.user;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** BCrypt hashing, plus a decoy check so that a missing user costs as much time as a wrong password. */
public final class PasswordHasher {

    /** BCrypt reads at most 72 bytes; longer passwords would be silently truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final int MIN_PASSWORD_BYTES = 8;

    private final int cost;
    private final String decoyHash;
    private volatile BCryptPasswordEncoder encoder;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.encoder = new BCryptPasswordEncoder(cost, new SecureRandom());
        // Any well-formed hash of the same cost takes the same time to check; building it from a
        // fixed salt and digest avoids hashing anything at start-up.
        this.decoyHash = String.format("$2a$%02d$", cost) + "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    }

    public String hash(String password) {
        return encoder.encode(password);
    }

    public boolean matches(String password, String hash) {
        return encoder.matches(password, hash);
    }

    /** True when the hash was made with a lower cost than the configured one. */
    public boolean needsUpgrade(String hash) {
        return encoder.upgradeEncoding(hash);
    }

    /** Spends the time of one real check and always fails. */
    public boolean matchesDecoy(String password) {
        encoder.matches(password, decoyHash);
        return false;
    }

    /**
     * A new salt source, for processes restored from a snapshot: every copy of a snapshot must draw
     * its own salts rather than continue one frozen generator.
     */
    public void reseed() {
        this.encoder = new BCryptPasswordEncoder(cost, new SecureRandom());
    }

    public static boolean hasAcceptableLength(String password) {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= MIN_PASSWORD_BYTES && bytes <= MAX_PASSWORD_BYTES;
    }
}
