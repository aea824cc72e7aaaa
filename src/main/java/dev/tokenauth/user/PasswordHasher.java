package dev.tokenauth.user;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Optional;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * BCrypt hashing of passwords in one canonical form, plus a decoy check so that a missing user
 * costs as much time as a wrong password.
 *
 * <p>Passwords are compared as NFKC-normalised Unicode (NIST SP 800-63B, RFC 8265 section 12.1):
 * the composed and decomposed forms of "café", typed on different keyboards, are one password.
 * Ill-formed Unicode (a lone surrogate) is refused rather than hashed as '?', which would make it
 * equal to a different password. Hashes stored from the raw form still verify, and are replaced.
 */
public final class PasswordHasher {

    /** BCrypt reads at most 72 bytes; longer passwords would be silently truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final int MIN_PASSWORD_BYTES = 8;
    /** A decoy of this form (a fixed salt and digest) costs the same BCrypt work as a real hash. */
    private static final String DECOY_SALT_AND_DIGEST = "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    /** What a password check found. */
    public enum Verdict {
        MISMATCH,
        MATCH,
        /** The password is right, and its hash should be replaced: a lower cost, or the raw form's hash. */
        MATCH_REHASH;

        public boolean matched() {
            return this != MISMATCH;
        }
    }

    private final int cost;
    private final String decoyHash;
    private volatile BCryptPasswordEncoder encoder;

    public PasswordHasher(int cost) {
        this.cost = cost;
        this.encoder = new BCryptPasswordEncoder(cost, new SecureRandom());
        this.decoyHash = String.format("$2a$%02d$", cost) + DECOY_SALT_AND_DIGEST;
    }

    /** The hash of an acceptable password's canonical form. */
    public String hash(String password) {
        return encoder.encode(canonical(password)
                .orElseThrow(() -> new IllegalArgumentException("not an acceptable password")));
    }

    /**
     * Checks a password against a stored hash: its canonical form first, then the form it was typed
     * in, for hashes made without normalisation. Ill-formed input never matches.
     */
    public Verdict verify(String password, String hash) {
        Optional<String> canonical = canonical(password);
        if (canonical.isEmpty()) {
            matchesDecoy(password);
            return Verdict.MISMATCH;
        }
        if (encoder.matches(canonical.get(), hash)) {
            return encoder.upgradeEncoding(hash) ? Verdict.MATCH_REHASH : Verdict.MATCH;
        }
        if (!canonical.get().equals(password) && encoder.matches(password, hash)) {
            return Verdict.MATCH_REHASH;
        }
        return Verdict.MISMATCH;
    }

    public boolean matches(String password, String hash) {
        return verify(password, hash).matched();
    }

    /** Spends the time of {@link #verify} against a real hash, and always fails. */
    public boolean matchesDecoy(String password) {
        String raw = password == null ? "" : password;
        Optional<String> canonical = canonical(raw);
        encoder.matches(canonical.orElse(raw), decoyHash);
        if (canonical.isPresent() && !canonical.get().equals(raw)) {
            encoder.matches(raw, decoyHash);
        }
        return false;
    }

    /** The hash {@link #matchesDecoy} checks against: well-formed, at the configured cost. */
    String decoyHash() {
        return decoyHash;
    }

    /**
     * A new salt source, for processes restored from a snapshot: every copy of a snapshot must draw
     * its own salts rather than continue one frozen generator.
     */
    public void reseed() {
        this.encoder = new BCryptPasswordEncoder(cost, new SecureRandom());
    }

    /** Well-formed Unicode whose canonical form is {@value #MIN_PASSWORD_BYTES} to {@value #MAX_PASSWORD_BYTES} UTF-8 bytes. */
    public static boolean hasAcceptableLength(String password) {
        return canonical(password).isPresent();
    }

    /** The NFKC form of an acceptable password; empty for null, ill-formed or out-of-range input. */
    static Optional<String> canonical(String password) {
        if (password == null || !isWellFormed(password)) {
            return Optional.empty();
        }
        String normalized = Normalizer.normalize(password, Normalizer.Form.NFKC);
        int bytes = normalized.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= MIN_PASSWORD_BYTES && bytes <= MAX_PASSWORD_BYTES ? Optional.of(normalized) : Optional.empty();
    }

    /** No lone surrogates: every high surrogate is followed by a low one, and no low one stands alone. */
    private static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
