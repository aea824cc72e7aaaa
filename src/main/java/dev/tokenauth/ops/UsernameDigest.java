package dev.tokenauth.ops;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import dev.tokenauth.token.Hmac;

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

    private final byte[] key;

    private UsernameDigest(byte[] key) {
        this.key = key.clone();
    }

    /** Derives the digest key from {@code secret}: HMAC-SHA256(secret, label). */
    public static UsernameDigest derivedFrom(byte[] secret) {
        return new UsernameDigest(Hmac.sha256(secret, LABEL));
    }

    /** The digest of a name, case-insensitively (the service compares names case-insensitively). */
    public String of(String username) {
        byte[] full = Hmac.sha256(key, username.toLowerCase(Locale.ROOT));
        return HexFormat.of().formatHex(Arrays.copyOf(full, BYTES));
    }

}
