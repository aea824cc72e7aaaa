package dev.tokenauth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tokenauth.Event;
import dev.tokenauth.Jwks;
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
        assertThat(service(NOW).verifyRefresh(pair.refreshToken())).contains(new TokenClaims(ADA, 0));
    }

    @Test
    void shouldPutExpiryInSecondsFifteenMinutesAndSevenDaysAhead() {
        DecodedJWT access = JWT.decode(pair.accessToken());
        DecodedJWT refresh = JWT.decode(pair.refreshToken());
        assertThat(access.getExpiresAtAsInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(refresh.getExpiresAtAsInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
        // The tutorial's bug passed milliseconds where seconds were due: a 41-year token.
        assertThat(access.getClaim("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 900);
        assertThat(access.getAlgorithm()).isEqualTo("ES256");
        assertThat(refresh.getAlgorithm()).isEqualTo("HS256");
        assertThat(access.getIssuer()).isEqualTo("test-issuer");
        assertThat(access.getAudience()).containsExactly(TokenSettings.DEFAULT_AUDIENCE);
        assertThat(refresh.getAudience()).isNull();
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
        String forged = accessClaims(ACCESS_KID).sign(es256(wrongKey));
        assertThat(JWT.decode(forged).getKeyId()).isEqualTo(JWT.decode(pair.accessToken()).getKeyId());
        assertThat(service(NOW).verifyAccess(forged)).isEmpty();
        // The same with the key id HS256 access tokens had, and a wrong HMAC key.
        String forgedHs = accessClaims(TokenService.keyId(ACCESS_KEY)).withIssuedAt(NOW.minusSeconds(60))
                .sign(Algorithm.HMAC256(wrongKey));
        assertThat(service(NOW).verifyAccess(forgedHs)).isEmpty();
    }

    @Test
    void shouldRejectAlgNoneAndOtherAlgorithms() {
        String[] parts = pair.accessToken().split("\\.");
        // The real key's id, so that the algorithm check, not the key-id lookup, is what refuses them.
        String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + ACCESS_KID + "\"}")
                + "." + parts[1] + ".";
        String hs512 = JWT.create().withKeyId(TokenService.keyId(ACCESS_KEY)).withIssuer("test-issuer").withSubject("u-1").withClaim("username", "ada")
                .withClaim("cnt", 3L).withClaim("sid", "session-1").withClaim("gen", 0L).withClaim("token_use", "access").withIssuedAt(NOW)
                .withExpiresAt(NOW.plusSeconds(60)).sign(Algorithm.HMAC512(ACCESS_KEY));
        // Key confusion: HS256 under the ES256 key's id, keyed with the public key anyone can read.
        String confused = accessClaims(ACCESS_KID)
                .sign(Algorithm.HMAC256(Es256Keys.publicKey(ACCESS_KEY).getEncoded()));
        String es384 = accessClaims(ACCESS_KID).sign(Algorithm.ECDSA384(ecKey384()));
        assertThat(service(NOW).verifyAccess(none)).isEmpty();
        assertThat(service(NOW).verifyAccess(hs512)).isEmpty();
        assertThat(service(NOW).verifyAccess(confused)).isEmpty();
        assertThat(service(NOW).verifyAccess(es384)).isEmpty();
    }

    @Test
    void shouldRejectTamperedWrongIssuerAndMissingExpiry() {
        String[] parts = pair.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String tampered = parts[0] + "." + encode(payload.replace("\"cnt\":3", "\"cnt\":4")) + "." + parts[2];
        String otherIssuer = accessClaims(ACCESS_KID).withIssuer("someone-else").sign(es256(ACCESS_KEY));
        String otherAudience = accessClaims(ACCESS_KID).withAudience("another-api").sign(es256(ACCESS_KEY));
        String noAudience = accessClaims(ACCESS_KID).withAudience((String[]) null).sign(es256(ACCESS_KEY));
        String noExpiry = accessClaims(ACCESS_KID).withExpiresAt((Instant) null).sign(es256(ACCESS_KEY));
        String nullExpiry = es256Token("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + ACCESS_KID + "\"}",
                "{\"iss\":\"test-issuer\",\"aud\":\"" + TokenSettings.DEFAULT_AUDIENCE + "\",\"sub\":\"u-1\","
                        + "\"username\":\"ada\",\"cnt\":3,\"sid\":\"session-1\",\"gen\":0,\"token_use\":\"access\","
                        + "\"iat\":" + NOW.getEpochSecond() + ",\"exp\":null}");
        // The control: the same claims, as they should be, verify.
        assertThat(service(NOW).verifyAccess(accessClaims(ACCESS_KID).sign(es256(ACCESS_KEY)))).contains(ADA);
        assertThat(service(NOW).verifyAccess(tampered)).isEmpty();
        assertThat(service(NOW).verifyAccess(otherIssuer)).isEmpty();
        assertThat(service(NOW).verifyAccess(otherAudience)).isEmpty();
        assertThat(service(NOW).verifyAccess(noAudience)).isEmpty();
        assertThat(service(NOW).verifyAccess(noExpiry)).isEmpty();
        assertThat(service(NOW).verifyAccess(nullExpiry)).isEmpty();
    }

    /** A token of hand-written JSON, signed with the real access key. */
    private static String es256Token(String header, String payload) {
        String input = encode(header) + "." + encode(payload);
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new LocalEs256Signer(ACCESS_KEY).sign(input.getBytes(StandardCharsets.UTF_8)));
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
                .contains(new TokenClaims(ADA, 3));
    }

    @Test
    void shouldIssueAccessTokensThatAnIndependentLibraryVerifiesFromTheJwksAlone() throws Exception {
        var roles = new Principal("u-1", "ada", 3, "session-1", java.util.Set.of("admin", "editor"));
        String token = service(NOW).issue(roles).accessToken();
        String jwks = Event.JSON.writeValueAsString(java.util.Map.of("keys", service(NOW).jwks()));

        JWTClaimsSet claims = Jwks.processor(jwks, "test-issuer", TokenSettings.DEFAULT_AUDIENCE, NOW).process(token, null);
        assertThat(claims.getSubject()).isEqualTo("u-1");
        assertThat(claims.getIssuer()).isEqualTo("test-issuer");
        assertThat(claims.getAudience()).containsExactly(TokenSettings.DEFAULT_AUDIENCE);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getStringListClaim("roles")).containsExactly("admin", "editor");
        assertThat(com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(ACCESS_KID);
    }

    @Test
    void shouldHaveBothTheServiceAndAnIndependentLibraryRefuseAWrongKidAlgAudienceOrIssuer() throws Exception {
        String jwks = Event.JSON.writeValueAsString(java.util.Map.of("keys", service(NOW).jwks()));
        byte[] otherKey = "another-key-0123456789-0123456789-01234567".getBytes(StandardCharsets.UTF_8);
        java.util.Map<String, String> forged = java.util.Map.of(
                "wrong kid", accessClaims(Es256Keys.keyId(Es256Keys.publicKey(otherKey))).sign(es256(otherKey)),
                "unknown kid, right key", accessClaims("not-a-key-id").sign(es256(ACCESS_KEY)),
                "wrong alg (HS256 keyed with the public key)", accessClaims(ACCESS_KID)
                        .sign(Algorithm.HMAC256(Es256Keys.publicKey(ACCESS_KEY).getEncoded())),
                "wrong aud", accessClaims(ACCESS_KID).withAudience("another-api").sign(es256(ACCESS_KEY)),
                "wrong iss", accessClaims(ACCESS_KID).withIssuer("https://evil.example").sign(es256(ACCESS_KEY)));
        // The control: the same claims under the right key pass both.
        String genuine = accessClaims(ACCESS_KID).sign(es256(ACCESS_KEY));
        assertThat(service(NOW).verifyAccess(genuine)).contains(ADA);
        assertThat(Jwks.processor(jwks, "test-issuer", TokenSettings.DEFAULT_AUDIENCE, NOW).process(genuine, null)
                .getSubject()).isEqualTo("u-1");
        forged.forEach((what, token) -> {
            assertThat(service(NOW).verifyAccess(token)).as(what).isEmpty();
            assertThatThrownBy(() -> Jwks.processor(jwks, "test-issuer", TokenSettings.DEFAULT_AUDIENCE, NOW)
                    .process(token, null)).as(what).isInstanceOfAny(BadJOSEException.class, JOSEException.class);
        });
    }

    @Test
    void shouldAcceptHs256AccessTokensIssuedBeforeTheServiceStartedUntilTheyExpire() {
        var legacy = accessClaims(TokenService.keyId(ACCESS_KEY)).withAudience((String[]) null)
                .withIssuedAt(NOW.minusSeconds(600)).withExpiresAt(NOW.plusSeconds(300));
        String before = legacy.sign(Algorithm.HMAC256(ACCESS_KEY));
        assertThat(service(NOW).verifyAccess(before)).contains(ADA);
        assertThat(service(NOW.plusSeconds(301)).verifyAccess(before)).isEmpty();
        // Minted after this code started: refused, though the key is right.
        var clock = new dev.tokenauth.memory.MutableClock(NOW);
        var running = new TokenService(settings(), clock);
        String after = accessClaims(TokenService.keyId(ACCESS_KEY)).withAudience((String[]) null)
                .withIssuedAt(NOW.plusSeconds(1)).withExpiresAt(NOW.plusSeconds(300)).sign(Algorithm.HMAC256(ACCESS_KEY));
        clock.advance(Duration.ofSeconds(2));
        assertThat(running.verifyAccess(after)).isEmpty();
        assertThat(running.verifyAccess(before)).contains(ADA);
    }

    @Test
    void shouldAnswerARepeatedAccessTokenFromWhatItVerifiedUntilItsExpiryAndNothingElse() {
        var clock = new dev.tokenauth.memory.MutableClock(NOW);
        var service = new TokenService(settings(), clock);
        String token = service.issue(ADA).accessToken();
        assertThat(service.verifyAccess(token)).contains(ADA);
        assertThat(service.verifyAccess(token)).as("the second time, from the verified tokens").contains(ADA);

        // A string that differs from the verified one is verified on its own, and fails.
        String last = token.substring(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last.equals("A") ? "B" : "A");
        assertThat(service.verifyAccess(tampered)).isEmpty();
        String otherPayload = token.replaceFirst("\\.[^.]+\\.", "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"u-2\"}".getBytes(StandardCharsets.UTF_8)) + ".");
        assertThat(service.verifyAccess(otherPayload)).isEmpty();

        clock.advance(Duration.ofMinutes(15));
        assertThat(service.verifyAccess(token)).as("expired, whatever was verified before").isEmpty();
    }

    @Test
    void shouldKeepAtMostTheVerifiedTokensItHasRoomFor() {
        var cache = new VerifiedTokens(2);
        Instant until = NOW.plusSeconds(60);
        var claims = new TokenClaims(ADA, 0);
        cache.put("a", claims, until);
        cache.put("b", claims, until);
        cache.get("a", NOW);
        cache.put("c", claims, until);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.get("b", NOW)).as("the least recently used went first").isEmpty();
        assertThat(cache.get("a", NOW)).contains(claims);
        assertThat(cache.get("c", until)).as("gone at its expiry").isEmpty();
    }

    @Test
    void shouldAnnounceTheNextKeyBeforeItSignsAndAcceptItsTokens() {
        byte[] next = "next-access-key-0123456789-0123456789-0123".getBytes(StandardCharsets.UTF_8);
        var announcing = new TokenService(new TokenSettings("test-issuer", TokenSettings.DEFAULT_AUDIENCE, ACCESS_KEY,
                java.util.Optional.empty(), java.util.Optional.of(next), REFRESH_KEY, java.util.Optional.empty(),
                Duration.ofMinutes(15), Duration.ofDays(7), TokenSettings.DEFAULT_DEVICE_TTL),
                Clock.fixed(NOW, ZoneOffset.UTC));
        String nextKid = Es256Keys.keyId(Es256Keys.publicKey(next));
        assertThat(announcing.jwks()).extracting(jwk -> jwk.get("kid")).containsExactly(ACCESS_KID, nextKid);
        assertThat(JWT.decode(announcing.issue(ADA).accessToken()).getKeyId()).isEqualTo(ACCESS_KID);
        // An environment already switched to the next key: the announcing one accepts its tokens.
        var switched = new TokenService(new TokenSettings("test-issuer", next, java.util.Optional.of(ACCESS_KEY),
                REFRESH_KEY, java.util.Optional.empty(), Duration.ofMinutes(15), Duration.ofDays(7)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(announcing.verifyAccess(switched.issue(ADA).accessToken())).contains(ADA);
        assertThat(switched.verifyAccess(pair.accessToken())).contains(ADA);
    }

    @Test
    void shouldRefuseEveryOtherBase64urlSpellingOfTheSignature() {
        for (String token : java.util.List.of(pair.accessToken(), pair.refreshToken())) {
            java.util.List<String> spellings = otherSpellingsOfTheSignature(token);
            assertThat(spellings).hasSizeGreaterThanOrEqualTo(3);
            for (String spelling : spellings) {
                String signature = spelling.substring(spelling.lastIndexOf('.') + 1);
                // The same bytes to a lenient decoder: a verifier that decodes first would accept it.
                assertThat(Base64.getUrlDecoder().decode(signature))
                        .isEqualTo(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1)));
                assertThat(service(NOW).verifyAccess(spelling)).as(spelling).isEmpty();
                assertThat(service(NOW).verifyRefresh(spelling)).as(spelling).isEmpty();
            }
        }
        String device = service(NOW).issueDevice("u-1", "ada", "device-1");
        otherSpellingsOfTheSignature(device).forEach(spelling ->
                assertThat(service(NOW).verifyDevice(spelling)).isEmpty());
        assertThat(service(NOW).verifyDevice(device)).isPresent();
    }

    /** The token with its signature spelt otherwise: other unused bits in the last character, padding. */
    static java.util.List<String> otherSpellingsOfTheSignature(String token) {
        int dot = token.lastIndexOf('.');
        String signature = token.substring(dot + 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(signature.charAt(signature.length() - 1));
        int unusedBits = (signature.length() * 6) % 8;
        var spellings = new java.util.ArrayList<String>();
        for (int low = 1; low < (1 << unusedBits); low++) {
            char other = alphabet.charAt((last & ~((1 << unusedBits) - 1)) | low);
            spellings.add(token.substring(0, token.length() - 1) + other);
        }
        int padding = (4 - signature.length() % 4) % 4;
        spellings.add(token + "=".repeat(padding == 0 ? 4 : padding));
        return spellings;
    }

    @Test
    void shouldRefuseTheOtherValidSignatureOfAnAccessTokenThatOtherVerifiersAccept() throws Exception {
        String token = pair.accessToken();
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
        var n = Es256Keys.P256.getOrder();
        var s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
        assertThat(s).isLessThanOrEqualTo(n.shiftRight(1));
        byte[] highS = signature.clone();
        byte[] other = n.subtract(s).toByteArray();
        System.arraycopy(other, other.length - 32, highS, 32, 32);
        String twin = token.substring(0, token.lastIndexOf('.') + 1)
                + Base64.getUrlEncoder().withoutPadding().encodeToString(highS);
        String jwks = Event.JSON.writeValueAsString(java.util.Map.of("keys", service(NOW).jwks()));
        // Mathematically valid, so a lenient verifier takes it: a second string for one token.
        assertThat(Jwks.processor(jwks, "test-issuer", TokenSettings.DEFAULT_AUDIENCE, NOW).process(twin, null)
                .getSubject()).isEqualTo("u-1");
        assertThat(service(NOW).verifyAccess(twin)).isEmpty();
        assertThat(service(NOW).verifyAccess(token)).contains(ADA);
    }

    @Test
    void shouldSignTheSameTokenToTheSameStringAndOtherTokensToOtherSignatures() {
        var signer = new LocalEs256Signer(ACCESS_KEY);
        byte[] input = "header.payload".getBytes(StandardCharsets.UTF_8);
        assertThat(signer.sign(input)).isEqualTo(signer.sign(input)).hasSize(64);
        byte[] other = "header.payloae".getBytes(StandardCharsets.UTF_8);
        // Different tokens, different nonces: the R halves differ.
        assertThat(java.util.Arrays.copyOf(signer.sign(other), 32))
                .isNotEqualTo(java.util.Arrays.copyOf(signer.sign(input), 32));
    }

    @Test
    void shouldNameTheKeyAndAcceptThePreviousKeyDuringARotation() {
        byte[] newAccess = "new-access-key-0123456789-0123456789-01234".getBytes(StandardCharsets.UTF_8);
        byte[] newRefresh = "new-refresh-key-0123456789-0123456789-0123".getBytes(StandardCharsets.UTF_8);
        var rotated = new TokenService(new TokenSettings("test-issuer", newAccess, java.util.Optional.of(ACCESS_KEY),
                newRefresh, java.util.Optional.of(REFRESH_KEY), Duration.ofMinutes(15), Duration.ofDays(7)),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(JWT.decode(pair.accessToken()).getKeyId()).isEqualTo(ACCESS_KID);
        assertThat(JWT.decode(pair.refreshToken()).getKeyId()).isEqualTo(TokenService.keyId(REFRESH_KEY));
        // Tokens signed with the old keys still verify; new ones carry the new key's id.
        assertThat(rotated.verifyAccess(pair.accessToken())).contains(ADA);
        assertThat(rotated.verifyRefresh(pair.refreshToken())).isPresent();
        TokenPair fresh = rotated.issue(ADA);
        assertThat(JWT.decode(fresh.accessToken()).getKeyId()).isEqualTo(Es256Keys.keyId(Es256Keys.publicKey(newAccess)));
        assertThat(rotated.jwks()).extracting(jwk -> jwk.get("kid"))
                .containsExactly(Es256Keys.keyId(Es256Keys.publicKey(newAccess)), ACCESS_KID);
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

    private static final String ACCESS_KID = Es256Keys.keyId(Es256Keys.publicKey(ACCESS_KEY));

    /** ADA's access claims as the service writes them, under a key id of the test's choosing. */
    private static com.auth0.jwt.JWTCreator.Builder accessClaims(String kid) {
        return JWT.create().withKeyId(kid).withIssuer("test-issuer").withAudience(TokenSettings.DEFAULT_AUDIENCE)
                .withSubject("u-1").withClaim("username", "ada").withClaim("cnt", 3L).withClaim("sid", "session-1")
                .withClaim("gen", 0L).withClaim("token_use", "access").withIssuedAt(NOW)
                .withExpiresAt(NOW.plusSeconds(60)).withJWTId("token-1");
    }

    /** ES256 under the P-256 key derived from a secret, as the service signs. */
    static Algorithm es256(byte[] secret) {
        return Jwks.es256(secret);
    }

    private static java.security.interfaces.ECKey ecKey384() {
        try {
            var generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
            return (java.security.interfaces.ECPrivateKey) generator.generateKeyPair().getPrivate();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TokenService service(Instant now) {
        return new TokenService(settings(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static TokenSettings settings() {
        return new TokenSettings("test-issuer", ACCESS_KEY, REFRESH_KEY, Duration.ofMinutes(15), Duration.ofDays(7));
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
