package dev.tokenauth.account;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.tokenauth.token.Hmac;
import dev.tokenauth.token.TokenService;

/**
 * The second factor's keys, derived with labels of their own from a secret that the token keys'
 * rotation never touches ({@code MFA_SECRET}; locally, the refresh-token secret): AES-256-GCM for the stored TOTP secrets, a random 96-bit IV per encryption
 * and the user id as associated data, so a stored secret is no use on another user's item; and
 * HMAC-SHA256 for the recovery codes, stored only as keyed hashes. With a previous secret
 * configured, secrets encrypted under its key still decrypt during a rotation.
 */
public final class TotpKeys {

    static final String SECRET_LABEL = "token-auth-graphql/totp-secret/v1";
    static final String RECOVERY_LABEL = "token-auth-graphql/totp-recovery/v1";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final List<SecretKeySpec> secretKeys;
    private final List<SecretKeySpec> recoveryKeys;

    public TotpKeys(byte[] secret, Optional<byte[]> previousSecret) {
        var keys = new ArrayList<SecretKeySpec>();
        keys.add(new SecretKeySpec(TokenService.derivedKey(secret, SECRET_LABEL), "AES"));
        previousSecret.ifPresent(previous ->
                keys.add(new SecretKeySpec(TokenService.derivedKey(previous, SECRET_LABEL), "AES")));
        this.secretKeys = List.copyOf(keys);
        var recovery = new ArrayList<SecretKeySpec>();
        recovery.add(new SecretKeySpec(TokenService.derivedKey(secret, RECOVERY_LABEL), "HmacSHA256"));
        previousSecret.ifPresent(previous ->
                recovery.add(new SecretKeySpec(TokenService.derivedKey(previous, RECOVERY_LABEL), "HmacSHA256")));
        this.recoveryKeys = List.copyOf(recovery);
    }

    /** A new random secret: 160 bits, as RFC 4226 recommends for HMAC-SHA-1. */
    byte[] newSecret() {
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        return secret;
    }

    /** The stored form: base64 of IV and ciphertext. */
    String encrypt(String userId, byte[] secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, secretKeys.get(0), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret);
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The secret of a stored form, under the current key or the previous one. */
    byte[] decrypt(String userId, String stored) {
        byte[] bytes = Base64.getDecoder().decode(stored);
        for (SecretKeySpec key : secretKeys) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
                cipher.updateAAD(userId.getBytes(StandardCharsets.UTF_8));
                return cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
            } catch (GeneralSecurityException e) {
                // not this key: try the next
            }
        }
        throw new IllegalStateException("a stored TOTP secret decrypts under no configured key");
    }

    /** A new recovery code: 10 Base32 letters and digits (50 bits), in two groups of five. */
    String newRecoveryCode() {
        byte[] bytes = new byte[7];
        random.nextBytes(bytes);
        String letters = dev.tokenauth.user.Totp.base32(bytes).substring(0, 10).toLowerCase(java.util.Locale.ROOT);
        return letters.substring(0, 5) + "-" + letters.substring(5);
    }

    /** The stored form of a recovery code of {@code userId}, however it was typed (case, dashes, spaces). */
    String recoveryHash(String userId, String code) {
        return recoveryHash(recoveryKeys.get(0), userId, code);
    }

    /** The forms a stored recovery code may have: under the current key, and the previous one during a rotation. */
    List<String> recoveryHashes(String userId, String code) {
        return recoveryKeys.stream().map(key -> recoveryHash(key, userId, code)).toList();
    }

    private static String recoveryHash(SecretKeySpec key, String userId, String code) {
        String normalised = code.replaceAll("[\\s-]", "").toLowerCase(java.util.Locale.ROOT);
        byte[] hash = Hmac.sha256(key.getEncoded(), userId + "\n" + normalised);
        return Base64.getEncoder().withoutPadding().encodeToString(hash);
    }
}
