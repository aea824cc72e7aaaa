package dev.tokenauth.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;

/**
 * Checks DPoP proofs (RFC 9449, section 4.3): a JWT of type {@code dpop+jwt}, signed with an
 * allowed asymmetric algorithm by the public key in its own {@code jwk} header, for this request's
 * method and URL, made within {@link #WINDOW} of now, with an {@code ath} that is the hash of the
 * access token sent with it. What a valid proof yields is the key's RFC 7638 thumbprint (what
 * tokens are bound to) and its {@code jti} (what a writing request records). Nothing is cached:
 * each proof costs one signature verification, and a cache would be one more thing to replay.
 */
public final class DpopProofs {

    /** Only ES256: what WebCrypto's ECDSA P-256 signs, and one curve's arithmetic to trust. */
    public static final Set<String> ALGORITHMS = Set.of(AccessTokenSigner.ALGORITHM);
    /** How far a proof's {@code iat} may be from now, either way (clock skew and network time). */
    public static final Duration WINDOW = Duration.ofSeconds(60);
    static final int MAX_PROOF_LENGTH = 2048;
    static final int MAX_JTI_LENGTH = 64;

    private final Clock clock;

    /** A valid proof: the thumbprint of its key, its id and its issue time. */
    public record Proof(String thumbprint, String jti, Instant issuedAt) {
    }

    /** Why a proof was refused; the message is written for the client and never repeats the proof. */
    public static final class InvalidProofException extends RuntimeException {
        InvalidProofException(String message) {
            super(message, null, false, false);
        }
    }

    public DpopProofs(Clock clock) {
        this.clock = clock;
    }

    /**
     * The proof's key and id, if {@code proof} is valid for a request of {@code method} to
     * {@code url} carrying {@code accessToken} (null when it carries none).
     */
    public Proof verify(String proof, String method, String url, String accessToken) {
        if (proof == null || proof.isEmpty() || proof.length() > MAX_PROOF_LENGTH) {
            throw invalid("The DPoP proof is missing or too long");
        }
        DecodedJWT jwt;
        try {
            jwt = JWT.decode(proof);
        } catch (JWTDecodeException e) {
            throw invalid("The DPoP proof is not a JWT");
        }
        if (!"dpop+jwt".equals(jwt.getType())) {
            throw invalid("The DPoP proof's typ must be dpop+jwt");
        }
        if (!ALGORITHMS.contains(jwt.getAlgorithm())) {
            throw invalid("The DPoP proof's alg must be one of " + String.join(", ", ALGORITHMS));
        }
        ECPublicKey key = publicKey(jwt.getHeaderClaim("jwk"));
        try {
            Algorithm.ECDSA256(key, null).verify(jwt);
        } catch (SignatureVerificationException e) {
            throw invalid("The DPoP proof's signature does not verify with its jwk");
        }
        if (!method.equals(string(jwt, "htm"))) {
            throw invalid("The DPoP proof's htm is not this request's method");
        }
        if (!normalized(url).equals(normalized(string(jwt, "htu")))) {
            throw invalid("The DPoP proof's htu is not this request's URL");
        }
        Instant issuedAt = issuedAt(jwt);
        Instant now = clock.instant();
        if (issuedAt.isBefore(now.minus(WINDOW)) || issuedAt.isAfter(now.plus(WINDOW))) {
            throw invalid("The DPoP proof's iat is too far from the server's time");
        }
        String jti = string(jwt, "jti");
        if (jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
            throw invalid("The DPoP proof's jti must be 1 to " + MAX_JTI_LENGTH + " characters");
        }
        if (accessToken != null && !accessTokenHash(accessToken).equals(optionalString(jwt, "ath"))) {
            throw invalid("The DPoP proof's ath is not the hash of the access token sent with it");
        }
        return new Proof(Es256Keys.keyId(key), jti, issuedAt);
    }

    /** {@code ath}: base64url of the SHA-256 of the access token's ASCII (RFC 9449, section 4.2). */
    public static String accessTokenHash(String accessToken) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A public P-256 JWK; one with private members ({@code d}) is refused, as RFC 9449 says. */
    private static ECPublicKey publicKey(Claim claim) {
        Map<String, Object> jwk = claim.isMissing() || claim.isNull() ? null : claim.asMap();
        if (jwk == null) {
            throw invalid("The DPoP proof has no jwk header");
        }
        if (jwk.containsKey("d")) {
            throw invalid("The DPoP proof's jwk must hold the public key only");
        }
        if (!"EC".equals(jwk.get("kty")) || !"P-256".equals(jwk.get("crv"))
                || !(jwk.get("x") instanceof String x) || !(jwk.get("y") instanceof String y)) {
            throw invalid("The DPoP proof's jwk must be a P-256 EC key");
        }
        try {
            return Es256Keys.fromJwk(x, y);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw invalid("The DPoP proof's jwk is not a valid P-256 key");
        }
    }

    private static Instant issuedAt(DecodedJWT jwt) {
        Claim iat = jwt.getClaim("iat");
        // A number, not a string that looks like one.
        if (iat.isMissing() || iat.isNull() || iat.asLong() == null || iat.asString() != null) {
            throw invalid("The DPoP proof must have a numeric iat");
        }
        return Instant.ofEpochSecond(iat.asLong());
    }

    private static String string(DecodedJWT jwt, String name) {
        String value = optionalString(jwt, name);
        if (value == null) {
            throw invalid("The DPoP proof must have a string " + name);
        }
        return value;
    }

    private static String optionalString(DecodedJWT jwt, String name) {
        Claim claim = jwt.getClaim(name);
        return claim.isMissing() || claim.isNull() ? null : claim.asString();
    }

    /**
     * The URL as RFC 9449 compares it: without query and fragment, scheme and host in lower case,
     * the default port left out (RFC 3986, section 6.2.2 and 6.2.3).
     */
    static String normalized(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw invalid("The DPoP proof's htu must be an absolute URL");
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            throw invalid("The DPoP proof's htu is not a URL");
        }
    }

    private static InvalidProofException invalid(String message) {
        return new InvalidProofException(message);
    }
}
