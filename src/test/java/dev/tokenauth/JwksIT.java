package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenauth.token.Es256Keys;
import dev.tokenauth.token.TokenSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The JWKS and discovery documents through the real FunctionInvoker, and access tokens the
 * function issued verified by nimbus-jose-jwt from the JWKS document alone, as another service
 * would; forged ones are refused by the function and by nimbus alike.
 */
class JwksIT {

    private static final String BASE = "https://abcdef1234.execute-api.us-east-1.amazonaws.com/Prod";
    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void servesTheJwksAndTheDiscoveryDocumentToAnyoneWithCacheControl() {
        LambdaResponse jwks = lambda.invoke(Event.load("jwks.json"));
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(jwks.header("Content-Type")).startsWith("application/json");
        assertThat(jwks.header("Access-Control-Allow-Origin")).isEqualTo("*");
        JsonNode key = jwks.json().path("keys").get(0);
        assertThat(key.path("kty").stringValue()).isEqualTo("EC");
        assertThat(key.path("crv").stringValue()).isEqualTo("P-256");
        assertThat(key.path("alg").stringValue()).isEqualTo("ES256");
        assertThat(key.has("d")).as("no private part").isFalse();
        assertThat(jwks.body()).doesNotContain(LambdaHarness.ACCESS_SECRET, LambdaHarness.REFRESH_SECRET);

        LambdaResponse discovery = lambda.invoke(Event.load("openid-configuration.json"));
        assertThat(discovery.status()).isEqualTo(200);
        assertThat(discovery.header("Cache-Control")).isEqualTo("public, max-age=3600");
        assertThat(discovery.json().path("issuer").stringValue()).isEqualTo(LambdaHarness.ISSUER);
        assertThat(discovery.json().path("jwks_uri").stringValue()).isEqualTo(BASE + "/.well-known/jwks.json");
        assertThat(discovery.json().path("id_token_signing_alg_values_supported").get(0).stringValue())
                .isEqualTo("ES256");
    }

    @Test
    void answersPreflightAndRefusesOtherMethodsOnTheDocuments() {
        LambdaResponse preflight = lambda.invoke(Event.load("jwks.json").method("OPTIONS"));
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
        LambdaResponse post = lambda.invoke(Event.load("openid-configuration.json").method("POST").body("{}"));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, OPTIONS");
        assertThat(post.firstErrorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void anAccessTokenIssuedThroughTheFunctionVerifiesWithAnIndependentLibraryFromTheJwksAlone() throws Exception {
        String name = "jwks-" + UUID.randomUUID().toString().substring(0, 8);
        LambdaResponse registered = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", "correct horse battery staple")));
        String access = registered.data("register").path("accessToken").stringValue();
        String jwks = lambda.invoke(Event.load("jwks.json")).body();

        JWTClaimsSet claims = Jwks.processor(jwks, LambdaHarness.ISSUER, TokenSettings.DEFAULT_AUDIENCE, Instant.now())
                .process(access, null);
        LambdaResponse me = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", access));
        assertThat(claims.getSubject()).isEqualTo(me.data("loggedInUser").path("id").stringValue());
        assertThat(claims.getStringClaim("username")).isEqualTo(name);
        assertThat(claims.getAudience()).containsExactly(TokenSettings.DEFAULT_AUDIENCE);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getStringListClaim("roles")).isNull();
        assertThat(com.nimbusds.jwt.SignedJWT.parse(access).getHeader().getAlgorithm().getName()).isEqualTo("ES256");
    }

    @Test
    void aTokenWithAWrongKidAlgAudienceOrIssuerIsRefusedByTheFunctionAndByTheIndependentLibrary() throws Exception {
        String name = "forge-" + UUID.randomUUID().toString().substring(0, 8);
        LambdaResponse registered = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", "correct horse battery staple")));
        var genuine = JWT.decode(registered.data("register").path("accessToken").stringValue());
        String jwks = lambda.invoke(Event.load("jwks.json")).body();
        byte[] secret = LambdaHarness.ACCESS_SECRET.getBytes(StandardCharsets.UTF_8);
        byte[] attacker = "an-attacker-key-0123456789-0123456789-012".getBytes(StandardCharsets.UTF_8);
        String kid = genuine.getKeyId();

        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("a key id not in the JWKS, with its own key", claims(genuine,
                Es256Keys.keyId(Es256Keys.publicKey(attacker))).sign(es256(attacker)));
        forged.put("the JWKS key's id, another key", claims(genuine, kid).sign(es256(attacker)));
        forged.put("HS256 keyed with the published public key", claims(genuine, kid)
                .sign(Algorithm.HMAC256(Es256Keys.publicKey(secret).getEncoded())));
        forged.put("another audience", claims(genuine, kid).withAudience("another-api").sign(es256(secret)));
        forged.put("another issuer", claims(genuine, kid).withIssuer("https://evil.example").sign(es256(secret)));

        // The control: the genuine claims, re-signed with the real key, pass both.
        String control = claims(genuine, kid).sign(es256(secret));
        assertThat(loggedInUser(control)).isEqualTo(name);
        assertThat(Jwks.processor(jwks, LambdaHarness.ISSUER, TokenSettings.DEFAULT_AUDIENCE, Instant.now())
                .process(control, null).getSubject()).isEqualTo(genuine.getSubject());
        forged.forEach((what, token) -> {
            assertThat(loggedInUser(token)).as(what).isNull();
            assertThatThrownBy(() -> Jwks.processor(jwks, LambdaHarness.ISSUER, TokenSettings.DEFAULT_AUDIENCE,
                    Instant.now()).process(token, null)).as(what)
                    .isInstanceOfAny(BadJOSEException.class, JOSEException.class);
        });
    }

    private String loggedInUser(String access) {
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", access));
        assertThat(response.status()).isEqualTo(200);
        JsonNode user = response.data("loggedInUser");
        return user.isObject() ? user.path("username").stringValue() : null;
    }

    /** The genuine token's claims, under a key id of the test's choosing. */
    private static JWTCreator.Builder claims(com.auth0.jwt.interfaces.DecodedJWT genuine, String kid) {
        return JWT.create().withKeyId(kid).withIssuer(genuine.getIssuer()).withAudience(genuine.getAudience().get(0))
                .withSubject(genuine.getSubject()).withClaim("username", genuine.getClaim("username").asString())
                .withClaim("cnt", genuine.getClaim("cnt").asLong()).withClaim("sid", genuine.getClaim("sid").asString())
                .withClaim("gen", genuine.getClaim("gen").asLong()).withClaim("token_use", "access")
                .withIssuedAt(genuine.getIssuedAtAsInstant()).withExpiresAt(genuine.getExpiresAtAsInstant())
                .withJWTId(genuine.getId()).withArrayClaim("roles", List.<String>of().toArray(String[]::new));
    }

    static Algorithm es256(byte[] secret) {
        return Jwks.es256(secret);
    }
}
