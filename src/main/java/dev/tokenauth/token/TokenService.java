package dev.tokenauth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;

/**
 * Mints and verifies the kinds of token. Access tokens are ES256 (see {@link AccessTokenSigner}),
 * so that anyone holding the JWKS can verify them; refresh, device and mfa tokens never leave
 * this service and are HS256. Each kind has its own keys and a {@code token_use} claim, so an access
 * token never passes as a refresh token or the reverse; {@code exp} is in seconds and is
 * required. Every token names its key in {@code kid}, which pins the algorithm: an unknown
 * {@code kid} is refused before any signature work, and so is a signature segment that is not the
 * one canonical base64url spelling of its bytes.
 *
 * <p>A pair is a pure function of (principal, generation, issue time): minting it again gives the
 * same strings (ES256 nonces are derived, not drawn), which is how concurrent refreshes of one
 * client all receive the same new pair.
 */
public final class TokenService {

    static final String TOKEN_USE = "token_use";
    static final String USERNAME = "username";
    static final String TOKEN_COUNT = "cnt";
    static final String SESSION = "sid";
    static final String GENERATION = "gen";
    static final String ROLES = "roles";
    /** Real tokens are a few hundred bytes; refusing huge ones keeps decoding cheap. */
    static final int MAX_TOKEN_LENGTH = 4096;

    static final String DEVICE = "device";
    static final String MFA = "mfa";
    static final String MFA_DEVICE = "dev";
    /** How long a login may wait for its second factor. */
    public static final Duration MFA_TTL = Duration.ofMinutes(5);
    /** RFC 7800's confirmation claim and RFC 9449's member for a DPoP key's thumbprint. */
    static final String CONFIRMATION = "cnf";
    static final String KEY_THUMBPRINT = "jkt";

    private final Kind access;
    private final Kind refresh;
    private final Kind device;
    private final Kind mfa;
    private final String issuer;
    private final String audience;
    private final Clock clock;
    private final List<ECPublicKey> publishedKeys;

    /** Signs access tokens with the P-256 key derived from the access secret. */
    /** Verified access tokens kept per process; a few thousand cover an environment's clients. */
    static final int VERIFIED_ACCESS_TOKENS = 4096;
    private final VerifiedTokens verifiedAccess = new VerifiedTokens(VERIFIED_ACCESS_TOKENS);

    public TokenService(TokenSettings settings, Clock clock) {
        this(settings, new LocalEs256Signer(settings.accessSecret()), clock);
    }

    public TokenService(TokenSettings settings, AccessTokenSigner signer, Clock clock) {
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        this.clock = clock;
        // Published and accepted: the signing key, the next one (announced before it signs) and
        // the previous one (until its last token expires).
        var keys = new LinkedHashMap<String, ECPublicKey>();
        keys.put(signer.keyId(), signer.publicKey());
        settings.nextAccessSecret().map(Es256Keys::publicKey).ifPresent(key -> keys.putIfAbsent(Es256Keys.keyId(key), key));
        settings.previousAccessSecret().map(Es256Keys::publicKey)
                .ifPresent(key -> keys.putIfAbsent(Es256Keys.keyId(key), key));
        this.publishedKeys = List.copyOf(keys.values());
        this.access = accessKind(signer, keys, settings);
        this.refresh = kind("refresh", settings.refreshSecret(), settings.previousRefreshSecret(),
                settings.refreshTtl());
        // Device tokens get a key of their own, derived from the refresh key: no new secret to
        // manage, and neither key can be computed from the other's tokens.
        this.device = kind(DEVICE, deviceKey(settings.refreshSecret()),
                settings.previousRefreshSecret().map(TokenService::deviceKey), settings.deviceTtl());
        // Mfa tokens likewise, with a label of their own.
        this.mfa = kind(MFA, derivedKey(settings.refreshSecret(), MFA_KEY_LABEL),
                settings.previousRefreshSecret().map(key -> derivedKey(key, MFA_KEY_LABEL)), MFA_TTL);
    }

    /** A pair for a new session, or the first of a session's generations. */
    public TokenPair issue(Principal principal) {
        return issue(principal, 0, clock.instant());
    }

    /** The pair of one generation of a session; the same inputs give the same strings. */
    public TokenPair issue(Principal principal, long generation, Instant issuedAt) {
        Instant iat = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        return new TokenPair(sign(access, principal, generation, iat), sign(refresh, principal, generation, iat));
    }

    /**
     * The pair of one generation of a session that ends at {@code sessionEndsAt}: neither token
     * outlives the session. The same inputs give the same strings.
     */
    public TokenPair issue(Principal principal, long generation, Instant issuedAt, Instant sessionEndsAt) {
        return issue(principal, generation, issuedAt, sessionEndsAt, null);
    }

    /**
     * {@link #issue(Principal, long, Instant, Instant)} for a session bound to a DPoP key: the
     * access token says so in {@code cnf.jkt} (RFC 9449, section 6.1). The refresh token needs no
     * claim: the session it names holds the thumbprint.
     */
    public TokenPair issue(Principal principal, long generation, Instant issuedAt, Instant sessionEndsAt,
                           String keyThumbprint) {
        Instant iat = issuedAt.truncatedTo(ChronoUnit.SECONDS);
        Instant end = sessionEndsAt.truncatedTo(ChronoUnit.SECONDS);
        return new TokenPair(sign(access, principal, generation, iat, end, keyThumbprint),
                sign(refresh, principal, generation, iat, end, null));
    }

    /** A device token for a user who just logged in successfully from a new device. */
    public String issueDevice(String userId, String username, String deviceId) {
        Instant iat = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return JWT.create()
                .withKeyId(device.currentKid())
                .withIssuer(issuer)
                .withSubject(userId)
                .withClaim(USERNAME, username)
                .withClaim(TOKEN_USE, DEVICE)
                .withJWTId(deviceId)
                .withIssuedAt(iat)
                .withExpiresAt(iat.plus(device.ttl()))
                .sign(device.signer());
    }

    public Optional<DeviceClaims> verifyDevice(String token) {
        return decode(device, token).flatMap(jwt -> {
            String username = jwt.getClaim(USERNAME).asString();
            if (jwt.getSubject() == null || username == null || jwt.getId() == null) {
                return Optional.empty();
            }
            return Optional.of(new DeviceClaims(jwt.getSubject(), username, jwt.getId(), jwt.getIssuedAtAsInstant()));
        });
    }

    /** An mfa token for a login attempt that proved the password; {@code deviceId} may be null. */
    public String issueMfa(String userId, String username, long tokenCount, String attemptId, String deviceId) {
        Instant iat = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        var builder = JWT.create()
                .withKeyId(mfa.currentKid())
                .withIssuer(issuer)
                .withSubject(userId)
                .withClaim(USERNAME, username)
                .withClaim(TOKEN_COUNT, tokenCount)
                .withClaim(TOKEN_USE, MFA)
                .withJWTId(attemptId)
                .withIssuedAt(iat)
                .withExpiresAt(iat.plus(mfa.ttl()));
        if (deviceId != null) {
            builder.withClaim(MFA_DEVICE, deviceId);
        }
        return builder.sign(mfa.signer());
    }

    public Optional<MfaClaims> verifyMfa(String token) {
        return decode(mfa, token).flatMap(jwt -> {
            String username = jwt.getClaim(USERNAME).asString();
            Long count = jwt.getClaim(TOKEN_COUNT).asLong();
            if (jwt.getSubject() == null || username == null || count == null || jwt.getId() == null) {
                return Optional.empty();
            }
            return Optional.of(new MfaClaims(jwt.getSubject(), username, count, jwt.getId(),
                    jwt.getClaim(MFA_DEVICE).asString()));
        });
    }

    public Optional<Principal> verifyAccess(String token) {
        return verifyAccessClaims(token).map(TokenClaims::principal);
    }

    /** {@link #verifyAccess}, with the DPoP key the token is bound to, if any. */
    public Optional<TokenClaims> verifyAccessClaims(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        Optional<TokenClaims> known = verifiedAccess.get(token, clock.instant());
        if (known.isPresent()) {
            return known;
        }
        Optional<TokenClaims> verified = verify(access, token);
        verified.ifPresent(claims -> verifiedAccess.put(token, claims, JWT.decode(token).getExpiresAtAsInstant()));
        return verified;
    }

    public Optional<TokenClaims> verifyRefresh(String token) {
        return verify(refresh, token);
    }

    /** The public keys access tokens are verified with, as a JWK Set's {@code keys} (RFC 7517). */
    public List<Map<String, String>> jwks() {
        return publishedKeys.stream().map(Es256Keys::jwk).toList();
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    private String sign(Kind kind, Principal principal, long generation, Instant iat) {
        return sign(kind, principal, generation, iat, Instant.MAX, null);
    }

    private String sign(Kind kind, Principal principal, long generation, Instant iat, Instant notAfter,
                        String keyThumbprint) {
        Instant exp = iat.plus(kind.ttl());
        var builder = JWT.create();
        if (keyThumbprint != null) {
            builder.withClaim(CONFIRMATION, Map.of(KEY_THUMBPRINT, keyThumbprint));
        }
        if (kind == access) {
            builder.withAudience(audience);
            if (!principal.roles().isEmpty()) {
                // Sorted: the same principal always gives the same token.
                builder.withArrayClaim(ROLES, principal.roles().stream().sorted().toArray(String[]::new));
            }
        }
        return builder
                .withKeyId(kind.currentKid())
                .withIssuer(issuer)
                .withSubject(principal.userId())
                .withClaim(USERNAME, principal.username())
                .withClaim(TOKEN_COUNT, principal.tokenCount())
                .withClaim(SESSION, principal.sessionId())
                .withClaim(GENERATION, generation)
                .withClaim(TOKEN_USE, kind.use())
                .withIssuedAt(iat)
                .withExpiresAt(exp.isAfter(notAfter) ? notAfter : exp)
                .withJWTId(tokenId(kind.use(), principal.sessionId(), generation))
                .sign(kind.signer());
    }

    private Optional<DecodedJWT> decode(Kind kind, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            DecodedJWT decoded = JWT.decode(token);
            KeyVerifier key = decoded.getKeyId() == null ? null : kind.verifiers().get(decoded.getKeyId());
            if (key == null || !isCanonical(decoded)) {
                return Optional.empty();
            }
            DecodedJWT verified = key.verifier().verify(decoded);
            // java-jwt counts "exp": null as present and never expiring: times must be numbers.
            Instant issuedAt = verified.getIssuedAtAsInstant();
            if (issuedAt == null || verified.getExpiresAtAsInstant() == null
                    || issuedAt.isAfter(key.issuedNoLaterThan())) {
                return Optional.empty();
            }
            return Optional.of(verified);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<TokenClaims> verify(Kind kind, String token) {
        Optional<DecodedJWT> verified = decode(kind, token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        DecodedJWT jwt = verified.get();
        String username = jwt.getClaim(USERNAME).asString();
        String session = jwt.getClaim(SESSION).asString();
        Long count = jwt.getClaim(TOKEN_COUNT).asLong();
        Long generation = jwt.getClaim(GENERATION).asLong();
        if (jwt.getSubject() == null || username == null || session == null || count == null || generation == null) {
            return Optional.empty();
        }
        Optional<Set<String>> roles = roles(jwt);
        if (roles.isEmpty()) {
            return Optional.empty();
        }
        String keyThumbprint = null;
        if (!jwt.getClaim(CONFIRMATION).isMissing()) {
            Object jkt;
            try {
                jkt = jwt.getClaim(CONFIRMATION).isNull() ? null : jwt.getClaim(CONFIRMATION).asMap().get(KEY_THUMBPRINT);
            } catch (JWTDecodeException e) {
                jkt = null;
            }
            if (!(jkt instanceof String thumbprint)) {
                // A cnf claim that names no key must not pass as unbound.
                return Optional.empty();
            }
            keyThumbprint = thumbprint;
        }
        return Optional.of(new TokenClaims(new Principal(jwt.getSubject(), username, count, session, roles.get()),
                generation, keyThumbprint));
    }

    /** The roles claim: none when absent, empty (refused) when it is not a list of strings. */
    private static Optional<Set<String>> roles(DecodedJWT jwt) {
        if (jwt.getClaim(ROLES).isMissing()) {
            return Optional.of(Set.of());
        }
        try {
            List<String> roles = jwt.getClaim(ROLES).asList(String.class);
            return roles == null || roles.stream().anyMatch(Objects::isNull) ? Optional.empty()
                    : Optional.of(Set.copyOf(roles));
        } catch (JWTDecodeException e) {
            return Optional.empty();
        }
    }

    private Kind kind(String use, byte[] secret, Optional<byte[]> previous, Duration ttl) {
        Map<String, KeyVerifier> verifiers = new LinkedHashMap<>();
        Algorithm signer = Algorithm.HMAC256(secret);
        verifiers.put(keyId(secret), new KeyVerifier(verifier(use, signer, null), Instant.MAX));
        previous.ifPresent(key -> verifiers.putIfAbsent(keyId(key),
                new KeyVerifier(verifier(use, Algorithm.HMAC256(key), null), Instant.MAX)));
        return new Kind(use, signer, keyId(secret), Map.copyOf(verifiers), ttl);
    }

    private Kind accessKind(AccessTokenSigner signer, Map<String, ECPublicKey> keys, TokenSettings settings) {
        Map<String, KeyVerifier> verifiers = new LinkedHashMap<>();
        keys.forEach((kid, key) -> verifiers.put(kid,
                new KeyVerifier(verifier("access", Algorithm.ECDSA256(key, null), audience), Instant.MAX)));
        // HS256 access tokens of the secrets' own key ids, as minted before access tokens were
        // ES256: accepted only if issued before this process started, so they die within one
        // access-token lifetime of the deployment, and nothing new can be minted that way.
        Instant started = clock.instant();
        verifiers.putIfAbsent(keyId(settings.accessSecret()), new KeyVerifier(
                verifier("access", Algorithm.HMAC256(settings.accessSecret()), null), started));
        settings.previousAccessSecret().ifPresent(key -> verifiers.putIfAbsent(keyId(key),
                new KeyVerifier(verifier("access", Algorithm.HMAC256(key), null), started)));
        return new Kind("access", new SignerAlgorithm(signer), signer.keyId(), Map.copyOf(verifiers),
                settings.accessTtl());
    }

    private JWTVerifier verifier(String use, Algorithm algorithm, String requiredAudience) {
        // The algorithm is pinned by the key: "none" and other algorithms fail before any claim is read.
        var verification = JWT.require(algorithm)
                .withIssuer(issuer)
                .withClaim(TOKEN_USE, use)
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .acceptLeeway(0);
        if (requiredAudience != null) {
            verification.withAudience(requiredAudience);
        }
        // java-jwt's build() is build(Clock.systemUTC()), and its javadoc reserves build(Clock) for
        // tests: this process passes Clock.systemUTC() (config), the tests a clock they move.
        return ((JWTVerifier.BaseVerification) verification).build(clock);
    }

    /**
     * Base64url without padding has one spelling per byte string; decoders also accept others
     * (padding, nonzero unused bits in the last character). The signature is the one segment the
     * signature does not cover, so only its canonical spelling is accepted: one token, one string.
     * For ES256, also only the lower of the two valid S values.
     */
    static boolean isCanonical(DecodedJWT token) {
        if (!isCanonicalBase64Url(token.getSignature())) {
            return false;
        }
        return !AccessTokenSigner.ALGORITHM.equals(token.getAlgorithm())
                || Es256Keys.hasLowS(Base64.getUrlDecoder().decode(token.getSignature()));
    }

    static boolean isCanonicalBase64Url(String segment) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(segment);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A key's public name: the start of its SHA-256, which says nothing about the key itself. */
    public static String keyId(byte[] key) {
        return HexFormat.of().formatHex(sha256(key), 0, 8);
    }

    private static String tokenId(String use, String session, long generation) {
        byte[] digest = sha256((use + ":" + session + ":" + generation).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }

    private static final String MFA_KEY_LABEL = "token-auth-graphql mfa token key";

    private static byte[] deviceKey(byte[] refreshSecret) {
        return derivedKey(refreshSecret, "token-auth-graphql device token key");
    }

    /** A key of its own for one use, derived from a configured secret: HMAC-SHA256 of the use's label. */
    public static byte[] derivedKey(byte[] secret, String label) {
        return Hmac.sha256(secret, label);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** One kind of token: its claim value, signing key, verifiers by key id, lifetime. */
    private record Kind(String use, Algorithm signer, String currentKid, Map<String, KeyVerifier> verifiers,
                        Duration ttl) {
    }

    /** A key's verifier, and the latest issue time it accepts. */
    private record KeyVerifier(JWTVerifier verifier, Instant issuedNoLaterThan) {
    }

    /** java-jwt's view of the signer port; signs only (verification uses the public keys). */
    private static final class SignerAlgorithm extends Algorithm {
        private final AccessTokenSigner signer;

        SignerAlgorithm(AccessTokenSigner signer) {
            super(AccessTokenSigner.ALGORITHM, "SHA256withECDSA");
            this.signer = signer;
        }

        @Override
        public void verify(DecodedJWT jwt) {
            throw new UnsupportedOperationException("signs only");
        }

        @Override
        public byte[] sign(byte[] content) {
            return signer.sign(content);
        }
    }
}
