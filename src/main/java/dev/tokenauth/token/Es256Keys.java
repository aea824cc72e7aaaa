package dev.tokenauth.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * P-256 keys for ES256 access tokens, derived from a secret of random text: the stack generates
 * that text in Secrets Manager (CloudFormation cannot generate an EC key), and the same text
 * always gives the same key. Also the JWK form of a public key and its RFC 7638 thumbprint.
 */
public final class Es256Keys {

    static final ECParameterSpec P256 = p256();
    private static final BigInteger P = ((ECFieldFp) P256.getCurve().getField()).getP();
    private static final BigInteger A = P256.getCurve().getA();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final BigInteger HALF_ORDER = P256.getOrder().shiftRight(1);

    private Es256Keys() {
    }

    /** A key pair and the key its signatures' nonces are derived from. */
    public record Derived(ECPrivateKey privateKey, ECPublicKey publicKey, byte[] nonceKey) {
    }

    /**
     * The key pair of a secret: d = (HMAC-SHA512(secret, label) mod (n - 1)) + 1, FIPS 186-4 B.4.1
     * with 512 bits for a 256-bit order, so the bias is negligible; the public key is d times G.
     */
    public static Derived derive(byte[] secret) {
        BigInteger n = P256.getOrder();
        BigInteger d = new BigInteger(1, hmac("HmacSHA512", secret, "token-auth-graphql ES256 access token key"))
                .mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        ECPoint q = multiply(P256.getGenerator(), d);
        try {
            KeyFactory factory = KeyFactory.getInstance("EC");
            var privateKey = (ECPrivateKey) factory.generatePrivate(new ECPrivateKeySpec(d, P256));
            var publicKey = (ECPublicKey) factory.generatePublic(new ECPublicKeySpec(q, P256));
            return new Derived(privateKey, publicKey,
                    hmac("HmacSHA256", secret, "token-auth-graphql ES256 nonce key"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC keys are part of every JDK", e);
        }
    }

    /** The public key of a secret (the key it announces or retires, which never signs here). */
    public static ECPublicKey publicKey(byte[] secret) {
        return derive(secret).publicKey();
    }

    /** The public JWK (RFC 7517/7518) of a key, with its thumbprint as {@code kid}. */
    public static Map<String, String> jwk(ECPublicKey key) {
        var jwk = new LinkedHashMap<String, String>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", coordinate(key.getW().getAffineX()));
        jwk.put("y", coordinate(key.getW().getAffineY()));
        jwk.put("kid", keyId(key));
        jwk.put("use", "sig");
        jwk.put("alg", AccessTokenSigner.ALGORITHM);
        return jwk;
    }

    /** The key's RFC 7638 thumbprint: SHA-256 of its required members in lexical order, base64url. */
    public static String keyId(ECPublicKey key) {
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + coordinate(key.getW().getAffineX())
                + "\",\"y\":\"" + coordinate(key.getW().getAffineY()) + "\"}";
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A public key from the {@code x} and {@code y} of a P-256 JWK; the JDK refuses points off the curve. */
    public static ECPublicKey fromJwk(String x, String y) throws GeneralSecurityException {
        byte[] xBytes = Base64.getUrlDecoder().decode(x);
        byte[] yBytes = Base64.getUrlDecoder().decode(y);
        if (xBytes.length != 32 || yBytes.length != 32) {
            throw new GeneralSecurityException("P-256 coordinates are 32 bytes");
        }
        var point = new ECPoint(new BigInteger(1, xBytes), new BigInteger(1, yBytes));
        if (!onCurve(point)) {
            throw new GeneralSecurityException("the point is not on P-256");
        }
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
    }

    /**
     * (R, S) and (R, n - S) both verify; the lower S is the one this service signs with and the
     * only one it accepts (as Bitcoin's BIP 62 does), so nobody can turn a token into a second
     * valid string without the key. The signature is R || S, 32 bytes each.
     */
    static byte[] lowS(byte[] signature) {
        if (signature.length != 64) {
            return signature;
        }
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        if (s.compareTo(HALF_ORDER) <= 0) {
            return signature;
        }
        byte[] normalised = signature.clone();
        byte[] low = fixed(P256.getOrder().subtract(s));
        System.arraycopy(low, 0, normalised, 32, 32);
        return normalised;
    }

    /** Whether an ES256 signature (R || S) has the lower S. */
    static boolean hasLowS(byte[] signature) {
        return signature.length == 64
                && new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64)).compareTo(HALF_ORDER) <= 0;
    }

    /** A coordinate as RFC 7518 wants it: 32 bytes big-endian, base64url. */
    static String coordinate(BigInteger value) {
        return BASE64URL.encodeToString(fixed(value));
    }

    private static byte[] fixed(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
        return fixed;
    }

    static boolean onCurve(ECPoint point) {
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(A.multiply(x)).add(P256.getCurve().getB()).mod(P);
        return y.pow(2).mod(P).equals(right);
    }

    /**
     * k times a point, in affine coordinates. Run once per key at start-up, on a key no request
     * chooses, so its timing reveals nothing an attacker can measure; signing is the JDK's.
     */
    static ECPoint multiply(ECPoint point, BigInteger k) {
        ECPoint result = ECPoint.POINT_INFINITY;
        for (int i = k.bitLength() - 1; i >= 0; i--) {
            result = add(result, result);
            if (k.testBit(i)) {
                result = add(result, point);
            }
        }
        return result;
    }

    private static ECPoint add(ECPoint p1, ECPoint p2) {
        if (p1.equals(ECPoint.POINT_INFINITY)) {
            return p2;
        }
        if (p2.equals(ECPoint.POINT_INFINITY)) {
            return p1;
        }
        BigInteger x1 = p1.getAffineX();
        BigInteger y1 = p1.getAffineY();
        BigInteger x2 = p2.getAffineX();
        BigInteger y2 = p2.getAffineY();
        BigInteger slope;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            slope = x1.pow(2).multiply(BigInteger.valueOf(3)).add(A)
                    .multiply(y1.shiftLeft(1).modInverse(P)).mod(P);
        } else {
            slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(P)).mod(P);
        }
        BigInteger x3 = slope.pow(2).subtract(x1).subtract(x2).mod(P);
        BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(P);
        return new ECPoint(x3, y3);
    }

    static byte[] hmac(String algorithm, byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is part of every JDK", e);
        }
    }
}
