package dev.tokenauth.token;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * ES256 with a private key held in memory, read once at start-up. The JDK computes the signature;
 * its nonce comes from HMAC-SHA256 over the signing input under a key derived from the secret
 * (the idea of RFC 6979), not from a random generator. So the same token signs to the same string
 * (the refresh grace window mints a pair again), and environments restored from one SnapStart
 * snapshot can never reuse a nonce, which would reveal the key. S is the lower of its two valid
 * values, so a token has one valid signature, not two.
 */
public final class LocalEs256Signer implements AccessTokenSigner {

    private static final String SIGNATURE = "SHA256withECDSAinP1363Format";

    private final Es256Keys.Derived key;
    private final String keyId;

    public LocalEs256Signer(byte[] secret) {
        this.key = Es256Keys.derive(secret);
        this.keyId = Es256Keys.keyId(key.publicKey());
        selfCheck();
    }

    @Override
    public ECPublicKey publicKey() {
        return key.publicKey();
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public byte[] sign(byte[] signingInput) {
        try {
            Signature signature = Signature.getInstance(SIGNATURE);
            signature.initSign(key.privateKey(), new NonceSource(key.nonceKey(), signingInput));
            signature.update(signingInput);
            return Es256Keys.lowS(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
    }

    /** The derived public key must verify what the private key signs: a wrong derivation stops the start. */
    private void selfCheck() {
        byte[] probe = "token-auth-graphql key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            Signature verifier = Signature.getInstance(SIGNATURE);
            verifier.initVerify(key.publicKey());
            verifier.update(probe);
            if (!verifier.verify(sign(probe))) {
                throw new IllegalStateException("the derived ES256 key pair does not verify its own signature");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ES256 key check failed", e);
        }
    }

    /**
     * The bytes the JDK draws its nonce from: HMAC-SHA256(nonce key, SHA-256(input) || counter),
     * as long a stream as it asks for: a function of the key and the token, like RFC 6979's nonce.
     */
    private static final class NonceSource extends SecureRandom {
        private static final long serialVersionUID = 1L;

        NonceSource(byte[] nonceKey, byte[] input) {
            super(new Spi(nonceKey, input), null);
        }

        private static final class Spi extends SecureRandomSpi {
            private static final long serialVersionUID = 1L;
            private final transient Mac mac;
            private final byte[] digest;
            private int counter;

            Spi(byte[] nonceKey, byte[] input) {
                try {
                    this.mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
                    this.digest = MessageDigest.getInstance("SHA-256").digest(input);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
                }
            }

            @Override
            protected void engineSetSeed(byte[] seed) {
                // The stream depends on the key and the input only.
            }

            @Override
            protected void engineNextBytes(byte[] bytes) {
                for (int offset = 0; offset < bytes.length; offset += 32) {
                    mac.update(digest);
                    byte[] block = mac.doFinal(ByteBuffer.allocate(4).putInt(counter++).array());
                    System.arraycopy(block, 0, bytes, offset, Math.min(32, bytes.length - offset));
                }
            }

            @Override
            protected byte[] engineGenerateSeed(int numBytes) {
                byte[] seed = new byte[numBytes];
                engineNextBytes(seed);
                return seed;
            }
        }
    }
}
