package dev.tokenauth.ops;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How an attempted username appears in the security log: a keyed hash, never the name. People
 * type passwords into the username field, so a plain name in the log can be a password; a plain
 * hash of a name is reversed by trying names. HMAC-SHA256 under a key no log reader has keeps the
 * same name the same value (attacks on one account can be grouped) without revealing it. The key
 * is derived from a configured secret with a label of its own, so it is never the secret itself
 * and no other use of that secret yields the same values.
 */
public final class UsernameDigest {

    static final String LABEL = "token-auth-graphql/security-log/username/v1";
    /** 96 bits: no collisions among the names one log will ever hold, and a short field. */
    static final int BYTES = 12;

    private final SecretKeySpec key;

    private UsernameDigest(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Derives the digest key from {@code secret}: HMAC-SHA256(secret, label). */
    public static UsernameDigest derivedFrom(byte[] secret) {
        return new UsernameDigest(hmac(new SecretKeySpec(secret, "HmacSHA256"), LABEL));
    }

    /** The digest of a name, case-insensitively (the service compares names case-insensitively). */
    public String of(String username) {
        byte[] full = hmac(key, username.toLowerCase(Locale.ROOT));
        return HexFormat.of().formatHex(Arrays.copyOf(full, BYTES));
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
