package dev.tokenauth.authorizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tokenauth.memory.MutableClock;
import dev.tokenauth.token.Es256Keys;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AccessTokenAuthorizerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final byte[] ACCESS_KEY = "access-key-0123456789-0123456789-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REFRESH_KEY = "refresh-key-0123456789-0123456789-012345678".getBytes(StandardCharsets.UTF_8);
    private static final String ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/hello";

    private final MutableClock clock = new MutableClock(NOW);
    private final TokenService tokens = new TokenService(new TokenSettings("https://auth.example/prod", ACCESS_KEY,
            REFRESH_KEY, Duration.ofMinutes(15), Duration.ofDays(7)), clock);
    private final AtomicInteger fetches = new AtomicInteger();
    private final AccessTokenAuthorizer authorizer = new AccessTokenAuthorizer(new JwksSource(() -> {
        fetches.incrementAndGet();
        return JSON.writeValueAsString(Map.of("keys", tokens.jwks()));
    }, "https://auth.example/prod", TokenSettings.DEFAULT_AUDIENCE, clock));
    private final TokenPair pair = tokens.issue(new Principal("u-1", "ada", 0, "s-1", Set.of("admin", "editor")));

    @Test
    void allowsTheWholeStageForAValidBearerAccessTokenWithTheCallerInTheContext() {
        Map<String, Object> answer = authorizer.decide(tokenEvent("Bearer " + pair.accessToken()));
        assertThat(answer.get("principalId")).isEqualTo("u-1");
        assertThat(answer.get("context")).isEqualTo(Map.of("sub", "u-1", "username", "ada", "roles", "admin,editor"));
        JsonNode policy = JSON.valueToTree(answer.get("policyDocument"));
        assertThat(policy.path("Statement").get(0).path("Effect").stringValue()).isEqualTo("Allow");
        assertThat(policy.path("Statement").get(0).path("Resource").stringValue())
                .isEqualTo("arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*");
    }

    @Test
    void answersHttpApiEventsWithASimpleResponse() {
        assertThat(authorizer.decide(httpApiEvent("Bearer " + pair.accessToken())))
                .containsEntry("isAuthorized", true)
                .containsEntry("context", Map.of("sub", "u-1", "username", "ada", "roles", "admin,editor"));
        assertThat(authorizer.decide(httpApiEvent("Bearer " + pair.refreshToken()))).isEqualTo(Map.of("isAuthorized", false));
    }

    @Test
    void refusesRefreshTokensForgedAndExpiredTokensAndOtherSpellings() {
        byte[] attacker = "an-attacker-key-0123456789-0123456789-012".getBytes(StandardCharsets.UTF_8);
        var attackerKey = Es256Keys.derive(attacker);
        String kid = JWT.decode(pair.accessToken()).getKeyId();
        var claims = JWT.create().withIssuer("https://auth.example/prod").withAudience(TokenSettings.DEFAULT_AUDIENCE)
                .withSubject("u-1").withClaim("token_use", "access").withIssuedAt(NOW).withExpiresAt(NOW.plusSeconds(60));
        String signature = pair.accessToken().substring(pair.accessToken().lastIndexOf('.') + 1);
        for (String header : new String[] {
                null, "", pair.accessToken(), "Basic " + pair.accessToken(), "Bearer " + pair.refreshToken(),
                "Bearer " + claims.withKeyId(kid).sign(Algorithm.ECDSA256(attackerKey.publicKey(), attackerKey.privateKey())),
                "Bearer " + claims.withKeyId(kid).sign(Algorithm.HMAC256(Es256Keys.publicKey(ACCESS_KEY).getEncoded())),
                "Bearer " + pair.accessToken() + "=",
                "Bearer " + pair.accessToken().substring(0, pair.accessToken().length() - 1)
                        + (signature.endsWith("A") ? "B" : "A")}) {
            assertThatThrownBy(() -> authorizer.decide(tokenEvent(header))).as(String.valueOf(header))
                    .hasMessage(AccessTokenAuthorizer.UNAUTHORIZED);
        }
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThatThrownBy(() -> authorizer.decide(tokenEvent("Bearer " + pair.accessToken())))
                .hasMessage(AccessTokenAuthorizer.UNAUTHORIZED);
    }

    @Test
    void refusesAWrongAudienceOrIssuer() {
        var other = new TokenService(new TokenSettings("https://auth.example/prod", "another-api", ACCESS_KEY,
                java.util.Optional.empty(), java.util.Optional.empty(), REFRESH_KEY, java.util.Optional.empty(),
                Duration.ofMinutes(15), Duration.ofDays(7), TokenSettings.DEFAULT_DEVICE_TTL), clock);
        var elsewhere = new TokenService(new TokenSettings("https://evil.example", ACCESS_KEY, REFRESH_KEY,
                Duration.ofMinutes(15), Duration.ofDays(7)), clock);
        for (TokenService issuer : new TokenService[] {other, elsewhere}) {
            String token = issuer.issue(new Principal("u-1", "ada", 0, "s-1")).accessToken();
            assertThatThrownBy(() -> authorizer.decide(tokenEvent("Bearer " + token)))
                    .hasMessage(AccessTokenAuthorizer.UNAUTHORIZED);
        }
    }

    @Test
    void fetchesTheJwksOnceAndAgainForAnUnknownKeyAtMostOnceAMinute() {
        authorizer.decide(tokenEvent("Bearer " + pair.accessToken()));
        authorizer.decide(tokenEvent("Bearer " + pair.accessToken()));
        assertThat(fetches).hasValue(1);
        String unknown = JWT.create().withKeyId("unknown").withSubject("u-1")
                .sign(Algorithm.HMAC256("x".repeat(32)));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> authorizer.decide(tokenEvent("Bearer " + unknown)));
        }
        assertThat(fetches).hasValue(1);
        clock.advance(JwksSource.MIN_REFETCH);
        assertThatThrownBy(() -> authorizer.decide(tokenEvent("Bearer " + unknown)));
        assertThat(fetches).hasValue(2);
    }

    private static JsonNode tokenEvent(String authorization) {
        var event = JSON.createObjectNode().put("type", "TOKEN").put("methodArn", ARN);
        if (authorization != null) {
            event.put("authorizationToken", authorization);
        }
        return event;
    }

    private static JsonNode httpApiEvent(String authorization) {
        var event = JSON.createObjectNode().put("version", "2.0").put("type", "REQUEST")
                .put("routeArn", ARN);
        event.putObject("headers").put("authorization", authorization);
        return event;
    }
}
