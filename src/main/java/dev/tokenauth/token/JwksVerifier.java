package dev.tokenauth.token;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies access tokens with nothing but a JWKS document, the issuer and the audience: what any
 * other service does with this one's tokens. Only P-256 keys marked for ES256 signatures count;
 * each key id pins its key and the algorithm.
 */
public final class JwksVerifier {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, JWTVerifier> verifiers;

    public JwksVerifier(String jwksDocument, String issuer, String audience, Clock clock) {
        Map<String, JWTVerifier> byKid = new HashMap<>();
        JsonNode keys = JSON.readTree(jwksDocument).path("keys");
        for (JsonNode key : keys) {
            if (!"EC".equals(text(key, "kty")) || !"P-256".equals(text(key, "crv")) || text(key, "kid") == null
                    || (key.has("alg") && !AccessTokenSigner.ALGORITHM.equals(text(key, "alg")))
                    || (key.has("use") && !"sig".equals(text(key, "use")))) {
                continue;
            }
            try {
                var publicKey = Es256Keys.fromJwk(text(key, "x"), text(key, "y"));
                var verification = (JWTVerifier.BaseVerification) JWT.require(Algorithm.ECDSA256(publicKey, null))
                        .withIssuer(issuer).withAudience(audience).withClaim(TokenService.TOKEN_USE, "access")
                        .withClaimPresence("sub").withClaimPresence("exp").withClaimPresence("iat").acceptLeeway(0);
                byKid.put(text(key, "kid"), verification.build(clock));
            } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException unusable) {
                // A key this verifier cannot use is skipped, as JOSE libraries do.
            }
        }
        this.verifiers = Map.copyOf(byKid);
    }

    public boolean knows(String kid) {
        return verifiers.containsKey(kid);
    }

    /** The verified token, or empty for anything else (no exception text ever reaches a caller). */
    public Optional<DecodedJWT> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > TokenService.MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            DecodedJWT decoded = JWT.decode(token);
            JWTVerifier verifier = decoded.getKeyId() == null ? null : verifiers.get(decoded.getKeyId());
            if (verifier == null || !TokenService.isCanonical(decoded)) {
                return Optional.empty();
            }
            DecodedJWT verified = verifier.verify(decoded);
            if (verified.getExpiresAtAsInstant() == null || verified.getIssuedAtAsInstant() == null
                    || verified.getSubject() == null) {
                return Optional.empty();
            }
            return Optional.of(verified);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The key id of a token, if it has one, without verifying anything. */
    public static Optional<String> keyIdOf(String token) {
        try {
            return Optional.ofNullable(JWT.decode(token).getKeyId());
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
