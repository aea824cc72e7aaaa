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
    private static final Principal ADA = new Principal("u-1", "ada", 3, "session-1");

    private final TokenPair pair = service(NOW).issue(ADA);

    @Test
    void shouldRoundTripBothKinds() {
        assertThat(service(NOW).verifyAccess(pair.accessToken())).contains(ADA);
        assertThat(service(NOW).verifyRefresh(pair.refreshToken())).contains(new RefreshClaims(ADA, 0));
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
    void shouldRejectATokenSignedWithAWrongKeyThatNamesTheRightKeyId() {
        byte[] wrongKey = "wrong-key-0123456789-0123456789-0123456789".getBytes(StandardCharsets.UTF_8);
        String forged = JWT.create().withKeyId(TokenService.keyId(ACCESS_KEY)).withIssuer("test-issuer").withSubject("u-1")
                .withClaim("username", "ada").withClaim("cnt", 3L).withClaim("sid", "session-1").withClaim("gen", 0L)
                .withClaim("token_use", "access").withIssuedAt(NOW).withExpiresAt(NOW.plusSeconds(60))
                .sign(Algorithm.HMAC256(wrongKey));
        assertThat(JWT.decode(forged).getKeyId()).isEqualTo(JWT.decode(pair.accessToken()).getKeyId());
        assertThat(service(NOW).verifyAccess(forged)).isEmpty();
    }

    @Test
    void shouldRejectAlgNoneAndOtherAlgorithms() {
        String[] parts = pair.accessToken().split("\\.");
        // The real key's id, so that the algorithm check, not the key-id lookup, is what refuses them.
        String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + TokenService.keyId(ACCESS_KEY) + "\"}")
                + "." + parts[1] + ".";
        String hs512 = JWT.create().withKeyId(TokenService.keyId(ACCESS_KEY)).withIssuer("test-issuer").withSubject("u-1").withClaim("username", "ada")
                .withClaim("cnt", 3L).withClaim("sid", "session-1").withClaim("gen", 0L).withClaim("token_use", "access").withIssuedAt(NOW)
                .withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC512(ACCESS_KEY));
        assertThat(service(NOW).verifyAccess(none)).isEmpty();
        assertThat(service(NOW).verifyAccess(hs512)).isEmpty();
    }

    @Test
    void shouldRejectTamperedWrongIssuerAndMissingExpiry() {
        String[] parts = pair.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String tampered = parts[0] + "." + encode(payload.replace("\"cnt\":3", "\"cnt\":4")) + "." + parts[2];
        String otherIssuer = JWT.create().withKeyId(TokenService.keyId(ACCESS_KEY)).withIssuer("someone-else").withSubject("u-1").withClaim("username", "ada")
                .withClaim("cnt", 3L).withClaim("sid", "session-1").withClaim("gen", 0L).withClaim("token_use", "access").withIssuedAt(NOW)
                .withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC256(ACCESS_KEY));
        String noExpiry = JWT.create().withKeyId(TokenService.keyId(ACCESS_KEY)).withIssuer("test-issuer").withSubject("u-1").withClaim("username", "ada")
                .withClaim("cnt", 3L).withClaim("sid", "session-1").withClaim("gen", 0L).withClaim("token_use", "access").withIssuedAt(NOW)
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

    @Test
    void shouldMintTheSamePairAgainForTheSameGeneration() {
        Instant rotatedAt = NOW.plusSeconds(42);
        TokenPair first = service(NOW).issue(ADA, 3, rotatedAt);
        TokenPair again = service(NOW.plusSeconds(20)).issue(ADA, 3, rotatedAt);
        assertThat(again).isEqualTo(first);
        assertThat(service(NOW).issue(ADA, 4, rotatedAt)).isNotEqualTo(first);
        assertThat(service(NOW.plusSeconds(60)).verifyRefresh(first.refreshToken()))
                .contains(new RefreshClaims(ADA, 3));
    }

    @Test
    void shouldNameTheKeyAndAcceptThePreviousKeyDuringARotation() {
        byte[] newAccess = "new-access-key-0123456789-0123456789-01234".getBytes(StandardCharsets.UTF_8);
        byte[] newRefresh = "new-refresh-key-0123456789-0123456789-0123".getBytes(StandardCharsets.UTF_8);
        var rotated = new TokenService(new TokenSettings("test-issuer", newAccess, java.util.Optional.of(ACCESS_KEY),
                newRefresh, java.util.Optional.of(REFRESH_KEY), Duration.ofMinutes(15), Duration.ofDays(7)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(JWT.decode(pair.accessToken()).getKeyId()).isEqualTo(TokenService.keyId(ACCESS_KEY));
        // Tokens signed with the old keys still verify; new ones carry the new key's id.
        assertThat(rotated.verifyAccess(pair.accessToken())).contains(ADA);
        assertThat(rotated.verifyRefresh(pair.refreshToken())).isPresent();
        TokenPair fresh = rotated.issue(ADA);
        assertThat(JWT.decode(fresh.accessToken()).getKeyId()).isEqualTo(TokenService.keyId(newAccess));
        // Once the rotation window closes, the old keys are gone: old tokens fail, new ones pass.
        var after = new TokenService(new TokenSettings("test-issuer", newAccess, newRefresh,
                Duration.ofMinutes(15), Duration.ofDays(7)), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(after.verifyAccess(pair.accessToken())).isEmpty();
        assertThat(after.verifyAccess(fresh.accessToken())).contains(ADA);
    }

    @Test
    void shouldRejectAnUnknownOrMissingKeyIdBeforeCheckingTheSignature() {
        String unknownKid = JWT.create().withKeyId("0000000000000000").withIssuer("test-issuer").withSubject("u-1")
                .withClaim("username", "ada").withClaim("cnt", 3L).withClaim("sid", "session-1").withClaim("gen", 0L)
                .withClaim("token_use", "access").withIssuedAt(NOW).withExpiresAt(NOW.plusSeconds(60))
                .sign(Algorithm.HMAC256(ACCESS_KEY));
        String noKid = JWT.create().withIssuer("test-issuer").withSubject("u-1")
                .withClaim("username", "ada").withClaim("cnt", 3L).withClaim("sid", "session-1").withClaim("gen", 0L)
                .withClaim("token_use", "access").withIssuedAt(NOW).withExpiresAt(NOW.plusSeconds(60))
                .sign(Algorithm.HMAC256(ACCESS_KEY));
        assertThat(service(NOW).verifyAccess(unknownKid)).isEmpty();
        assertThat(service(NOW).verifyAccess(noKid)).isEmpty();
    }

    @Test
    void shouldIssueDeviceTokensUnderAKeyOfTheirOwn() {
        String device = service(NOW).issueDevice("u-1", "ada", "device-1");
        assertThat(service(NOW.plus(Duration.ofDays(300))).verifyDevice(device))
                .contains(new DeviceClaims("u-1", "ada", "device-1", NOW));
        assertThat(service(NOW.plus(TokenSettings.DEFAULT_DEVICE_TTL).plusSeconds(1)).verifyDevice(device)).isEmpty();
        assertThat(JWT.decode(device).getKeyId()).isNotIn(TokenService.keyId(ACCESS_KEY), TokenService.keyId(REFRESH_KEY));
        assertThat(service(NOW).verifyDevice(pair.refreshToken())).isEmpty();
        assertThat(service(NOW).verifyRefresh(device)).isEmpty();
        assertThat(service(NOW).verifyAccess(device)).isEmpty();
    }

    @Test
    void shouldNeverLetAPairOutliveItsSession() {
        Instant sessionEnd = NOW.plus(Duration.ofDays(2));
        TokenPair capped = service(NOW).issue(ADA, 0, NOW, sessionEnd);
        assertThat(JWT.decode(capped.refreshToken()).getExpiresAtAsInstant()).isEqualTo(sessionEnd);
        assertThat(JWT.decode(capped.accessToken()).getExpiresAtAsInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(service(sessionEnd.plusSeconds(1)).verifyRefresh(capped.refreshToken())).isEmpty();
    }

    private static TokenService service(Instant now) {
        return new TokenService(new TokenSettings("test-issuer", ACCESS_KEY, REFRESH_KEY,
                Duration.ofMinutes(15), Duration.ofDays(7)), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
