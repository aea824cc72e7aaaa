package dev.tokenauth.user;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Optional;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * BCrypt hashing of passwords in one canonical form, plus a decoy check so that a missing user
 * costs as much work as a wrong password.
 *
 * <p>Passwords are compared as NFKC-normalised Unicode (NIST SP 800-63B, RFC 8265 section 12.1):
 * the composed and decomposed forms of "café", typed on different keyboards, are one password.
 * Ill-formed Unicode (a lone surrogate) is refused rather than hashed as '?', which would make it
 * equal to a different password. Hashes of the raw form, from a store that did not normalise, carry
 * {@link #RAW_FORM_MARK}: only they are also checked against the password as typed, and replaced.
 *
 * <p>Every check does the BCrypt work of one hash at the configured cost, whatever the stored
 * hash's cost: a check against a cheaper hash is padded with decoy work up to it, so that raising
 * the cost does not tell stored names from unknown ones.
 */
public final class PasswordHasher {

    /** BCrypt reads at most 72 bytes; longer passwords would be silently truncated. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final int MIN_PASSWORD_BYTES = 8;
    /** Prefix of a stored hash of a password's raw (not normalised) form. */
    public static final String RAW_FORM_MARK = "$raw";
    /** BCrypt's smallest cost. */
    private static final int MIN_COST = 4;
    /** A decoy of this form (a fixed salt and digest) costs the same BCrypt work as a real hash. */
    private static final String DECOY_SALT_AND_DIGEST = "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

    /** What a password check found. */
    public enum Verdict {
        MISMATCH,
        MATCH,
        /** The password is right, and its hash should be replaced: another cost, or the raw form's hash. */
        MATCH_REHASH;

        public boolean matched() {
            return this != MISMATCH;
        }
    }

    /** One BCrypt comparison of a password with a BCrypt hash; where tests see the work a check does. */
    @FunctionalInterface
    public interface Comparison {
        boolean matches(String password, String bcryptHash);
    }

    private final int cost;
    private final Comparison comparison;
    private volatile BCryptPasswordEncoder encoder;

    public PasswordHasher(int cost) {
        this(cost, null);
    }

    /** With {@code comparison} doing every BCrypt comparison (null: BCrypt's own). */
    public PasswordHasher(int cost, Comparison comparison) {
        this.cost = cost;
        this.encoder = new BCryptPasswordEncoder(cost, new SecureRandom());
        this.comparison = comparison != null ? comparison : (password, hash) -> encoder.matches(password, hash);
    }

    /** The hash of an acceptable password's canonical form. */
    public String hash(String password) {
        return encoder.encode(canonical(password)
                .orElseThrow(() -> new IllegalArgumentException("not an acceptable password")));
    }

    /**
     * Checks a password against a stored hash: its canonical form, and for a hash marked as of the
     * raw form also the form it was typed in. Ill-formed input never matches. A hash of a lower
     * cost than configured is padded with decoy work up to it.
     */
    public Verdict verify(String password, String storedHash) {
        Optional<String> canonical = canonical(password);
        if (canonical.isEmpty() || storedHash == null) {
            matchesDecoy(password);
            return Verdict.MISMATCH;
        }
        boolean rawForm = storedHash.startsWith(RAW_FORM_MARK);
        String hash = rawForm ? storedHash.substring(RAW_FORM_MARK.length()) : storedHash;
        int storedCost = costOf(hash);
        boolean matched = comparison.matches(canonical.get(), hash)
                || rawForm && !canonical.get().equals(password) && comparison.matches(password, hash);
        // Decoy hashes of costs storedCost .. cost-1: together 2^cost - 2^storedCost rounds.
        for (int padding = Math.max(storedCost, MIN_COST); padding < cost; padding++) {
            comparison.matches(canonical.get(), decoyHash(padding));
        }
        if (!matched) {
            return Verdict.MISMATCH;
        }
        return rawForm || storedCost != cost ? Verdict.MATCH_REHASH : Verdict.MATCH;
    }

    public boolean matches(String password, String hash) {
        return verify(password, hash).matched();
    }

    /** Does the work of {@link #verify} against a hash of the configured cost, and always fails. */
    public boolean matchesDecoy(String password) {
        String raw = password == null ? "" : password;
        comparison.matches(canonical(raw).orElse(raw), decoyHash(cost));
        return false;
    }

    /** The hash {@link #matchesDecoy} checks against: well-formed, at the configured cost. */
    String decoyHash() {
        return decoyHash(cost);
    }

    private static String decoyHash(int cost) {
        return String.format("$2a$%02d$", cost) + DECOY_SALT_AND_DIGEST;
    }

    /** The cost of a BCrypt hash ({@code $2a$10$...}); 0 when it is not one. */
    static int costOf(String hash) {
        if (hash.length() < 7 || hash.charAt(0) != '$' || hash.charAt(3) != '$' || hash.charAt(6) != '$') {
            return 0;
        }
        try {
            return Integer.parseInt(hash.substring(4, 6));
        } catch (NumberFormatException e) {
            return 0;
        }
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
