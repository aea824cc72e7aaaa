package dev.tokenauth.token;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

/** A client's DPoP key in tests: makes proofs as a browser would, and variants a thief would try. */
public final class DpopKey {

    private final ECPublicKey publicKey;
    private final ECPrivateKey privateKey;

    private DpopKey(KeyPair pair) {
        this.publicKey = (ECPublicKey) pair.getPublic();
        this.privateKey = (ECPrivateKey) pair.getPrivate();
    }

    public static DpopKey generate() {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return new DpopKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signing algorithm of this key. */
    public Algorithm algorithm() {
        return Algorithm.ECDSA256(publicKey, privateKey);
    }

    public String thumbprint() {
        return Es256Keys.keyId(publicKey);
    }

    public Map<String, Object> publicJwk() {
        var jwk = new LinkedHashMap<String, Object>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", Es256Keys.coordinate(publicKey.getW().getAffineX()));
        jwk.put("y", Es256Keys.coordinate(publicKey.getW().getAffineY()));
        return jwk;
    }

    /** A fresh proof (new jti) for a request of {@code method} to {@code url}, with the access token's hash if any. */
    public String proof(String method, String url, Instant iat, String accessToken) {
        return proof(method, url, iat, accessToken, UUID.randomUUID().toString());
    }

    public String proof(String method, String url, Instant iat, String accessToken, String jti) {
        return proof(Map.of("typ", "dpop+jwt", "jwk", publicJwk()), method, url, iat, accessToken, jti,
                Algorithm.ECDSA256(publicKey, privateKey));
    }

    /** A proof with the given header and signing algorithm, for the refusals. */
    public static String proof(Map<String, Object> header, String method, String url, Instant iat, String accessToken,
                               String jti, Algorithm algorithm) {
        var builder = JWT.create().withHeader(header).withClaim("htm", method).withClaim("htu", url)
                .withClaim("iat", iat.getEpochSecond()).withClaim("jti", jti);
        if (accessToken != null) {
            builder.withClaim("ath", DpopProofs.accessTokenHash(accessToken));
        }
        return builder.sign(algorithm);
    }
}
