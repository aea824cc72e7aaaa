package dev.tokenauth.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import org.junit.jupiter.api.Test;

class TokenServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final byte[] ACCESS_KEY = "access-key-0123456789-0123456789-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REFRESH_KEY = "refresh-key-0123456789-0123456789-012345678".getBytes(StandardCharsets.UTF_8);
    private static final Principal ADA = new Principal("u-1", "ada", 3);

    private final TokenPair pair = service(NOW).issue(ADA);

    @Test
    void shouldRoundTripBothKinds() {
        assertThat(service(NOW).verifyAccess(pair.accessToken())).contains(ADA);
        assertThat(service(NOW).verifyRefresh(pair.refreshToken())).contains(ADA);
    }

    @Test
    void shouldPutExpiryInSecondsFifteenMinutesAndSevenDaysAhead() {
        DecodedJWT access = JWT.decode(pair.accessToken());
        DecodedJWT refresh = JWT.decode(pair.refreshToken());
        assertThat(access.getExpiresAtAsInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(refresh.getExpiresAtAsInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        // The tutorial's bug passed milliseconds where seconds were due: a 41-year token.
        assertThat(access.getClaim("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 900);
        assertThat(access.getAlgorithm()).isEqualTo("HS256");
        assertThat(access.getIssuer()).isEqualTo("test-issuer");
        assertThat(access.getId()).isNotEqualTo(refresh.getId());
    }

    @Test
    void shouldAcceptAnAccessTokenUntilItsLastSecondAndRejectItAfter() {
        Instant expiry = NOW.plus(Duration.ofMinutes(15));
        assertThat(service(expiry.minusSeconds(1)).verifyAccess(pair.accessToken())).isPresent();
        assertThat(service(expiry.plusSeconds(1)).verifyAccess(pair.accessToken())).isEmpty();
    }

    @Test
    void shouldRejectARefreshTokenAfterSevenDays() {
        Instant expiry = NOW.plus(Duration.ofDays(7));
        assertThat(service(expiry.minusSeconds(1)).verifyRefresh(pair.refreshToken())).isPresent();
        assertThat(service(expiry.plusSeconds(1)).verifyRefresh(pair.refreshToken())).isEmpty();
    }

    @Test
    void shouldNeverAcceptOneKindAsTheOther() {
        assertThat(service(NOW).verifyAccess(pair.refreshToken())).isEmpty();
        assertThat(service(NOW).verifyRefresh(pair.accessToken())).isEmpty();
    }

    @Test
    void shouldRejectATokenUsedAsTheOtherKindEvenIfBothKeysWereEqual() {
        // Defence in depth: the token_use claim alone keeps the kinds apart.
        var sameKeys = new TokenService(new TokenSettings("test-issuer", ACCESS_KEY, ACCESS_KEY,
                Duration.ofMinutes(15), Duration.ofDays(7)), Clock.fixed(NOW, ZoneOffset.UTC));
        TokenPair samePair = sameKeys.issue(ADA);
        assertThat(sameKeys.verifyAccess(samePair.refreshToken())).isEmpty();
        assertThat(sameKeys.verifyRefresh(samePair.accessToken())).isEmpty();
    }

    @Test
    void shouldRejectAlgNoneAndOtherAlgorithms() {
        String[] parts = pair.accessToken().split("\\.");
        String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        String hs512 = JWT.create().withIssuer("test-issuer").withSubject("u-1").withClaim("username", "ada")
                .withClaim("cnt", 3L).withClaim("token_use", "access").withIssuedAt(NOW)
                .withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC512(ACCESS_KEY));
        assertThat(service(NOW).verifyAccess(none)).isEmpty();
        assertThat(service(NOW).verifyAccess(hs512)).isEmpty();
    }

    @Test
    void shouldRejectTamperedWrongIssuerAndMissingExpiry() {
        String[] parts = pair.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String tampered = parts[0] + "." + encode(payload.replace("\"cnt\":3", "\"cnt\":4")) + "." + parts[2];
        String otherIssuer = JWT.create().withIssuer("someone-else").withSubject("u-1").withClaim("username", "ada")
                .withClaim("cnt", 3L).withClaim("token_use", "access").withIssuedAt(NOW)
                .withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC256(ACCESS_KEY));
        String noExpiry = JWT.create().withIssuer("test-issuer").withSubject("u-1").withClaim("username", "ada")
                .withClaim("cnt", 3L).withClaim("token_use", "access").withIssuedAt(NOW)
                .sign(Algorithm.HMAC256(ACCESS_KEY));
        assertThat(service(NOW).verifyAccess(tampered)).isEmpty();
        assertThat(service(NOW).verifyAccess(otherIssuer)).isEmpty();
        assertThat(service(NOW).verifyAccess(noExpiry)).isEmpty();
    }

    @Test
    void shouldRejectEmptyGarbageAndOversizedInput() {
        assertThat(service(NOW).verifyAccess(null)).isEmpty();
        assertThat(service(NOW).verifyAccess("")).isEmpty();
        assertThat(service(NOW).verifyAccess("a.b.c")).isEmpty();
        assertThat(service(NOW).verifyAccess("x".repeat(100_000))).isEmpty();
    }

    private static TokenService service(Instant now) {
        return new TokenService(new TokenSettings("test-issuer", ACCESS_KEY, REFRESH_KEY,
                Duration.ofMinutes(15), Duration.ofDays(7)), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
