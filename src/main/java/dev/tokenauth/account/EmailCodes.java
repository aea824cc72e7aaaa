package dev.tokenauth.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

import dev.tokenauth.token.Hmac;
import dev.tokenauth.user.EmailStore.Purpose;

/**
 * The codes mailed to users: 8 random digits from {@link SecureRandom} (10^8 values against at
 * most {@link #MAX_TRIES} tries), stored only as HMAC-SHA256 under a key derived from a configured
 * secret with a label of its own. The hash binds the code to its purpose, user and address, so a
 * stored hash is no use anywhere else; hashes are compared in constant time.
 */
public final class EmailCodes {

    public static final int DIGITS = 8;
    /** Wrong tries after which a code is dead. */
    public static final int MAX_TRIES = 5;
    static final String LABEL = "token-auth-graphql/email-code/v1";

    private final SecureRandom random = new SecureRandom();
    private final byte[] key;
    private final Duration ttl;

    /** Keys derived from {@code secret} (the refresh-token key), codes valid for {@code ttl}. */
    public EmailCodes(byte[] secret, Duration ttl) {
        this.key = Hmac.sha256(secret, LABEL);
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A new code: {@link #DIGITS} digits, leading zeros kept. */
    public String newCode() {
        return String.format("%0" + DIGITS + "d", random.nextInt(100_000_000));
    }

    /** True for something that can be a code at all; anything else is refused without counting a try. */
    public static boolean wellFormed(String code) {
        return code != null && code.length() == DIGITS && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The stored form of {@code code}. */
    public String hash(Purpose purpose, String userId, String address, String code) {
        return Base64.getEncoder().withoutPadding().encodeToString(
                Hmac.sha256(key, "code\n" + purpose + "\n" + userId + "\n" + address + "\n" + code));
    }

    /** Constant-time comparison of two stored forms. */
    public static boolean sameHash(String stored, String computed) {
        return MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), computed.getBytes(StandardCharsets.US_ASCII));
    }

    /** A keyed hash of an address for keys of counters: the same address, the same key, and no address in the table. */
    public String addressKey(String address) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hmac.sha256(key, "address\n" + address));
    }

}
