package dev.tokenauth.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;

/**
 * Mints and verifies the two kinds of token. Each kind has its own HS256 key and a
 * {@code token_use} claim, so an access token never passes as a refresh token or the reverse;
 * {@code exp} is in seconds (the tutorial's milliseconds bug) and is required.
 */
public final class TokenService {

    static final String TOKEN_USE = "token_use";
    static final String USERNAME = "username";
    static final String TOKEN_COUNT = "cnt";
    /** Real tokens are a few hundred bytes; refusing huge ones keeps decoding cheap. */
    static final int MAX_TOKEN_LENGTH = 4096;

    private final Kind access;
    private final Kind refresh;
    private final String issuer;
    private final Clock clock;

    public TokenService(TokenSettings settings, Clock clock) {
        this.issuer = settings.issuer();
        this.clock = clock;
        this.access = kind("access", settings.accessSecret(), settings.accessTtl());
        this.refresh = kind("refresh", settings.refreshSecret(), settings.refreshTtl());
    }

    public TokenPair issue(Principal principal) {
        Instant now = clock.instant();
        return new TokenPair(sign(access, principal, now), sign(refresh, principal, now));
    }

    public Optional<Principal> verifyAccess(String token) {
        return verify(access, token);
    }

    public Optional<Principal> verifyRefresh(String token) {
        return verify(refresh, token);
    }

    public Duration accessTokenTtl() {
        return access.ttl();
    }

    private String sign(Kind kind, Principal principal, Instant now) {
        return JWT.create()
                .withIssuer(issuer)
                .withSubject(principal.userId())
                .withClaim(USERNAME, principal.username())
                .withClaim(TOKEN_COUNT, principal.tokenCount())
                .withClaim(TOKEN_USE, kind.use())
                .withIssuedAt(now)
                .withExpiresAt(now.plus(kind.ttl()))
                .withJWTId(UUID.randomUUID().toString())
                .sign(kind.algorithm());
    }

    private Optional<Principal> verify(Kind kind, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        DecodedJWT jwt;
        try {
            jwt = kind.verifier().verify(token);
        } catch (JWTVerificationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String username = jwt.getClaim(USERNAME).asString();
        Long count = jwt.getClaim(TOKEN_COUNT).asLong();
        if (jwt.getSubject() == null || username == null || count == null) {
            return Optional.empty();
        }
        return Optional.of(new Principal(jwt.getSubject(), username, count));
    }

    private Kind kind(String use, byte[] secret, Duration ttl) {
        Algorithm algorithm = Algorithm.HMAC256(secret);
        // The algorithm is pinned by the key: "none" and RS/ES tokens fail before any claim is read.
        var verification = (JWTVerifier.BaseVerification) JWT.require(algorithm)
                .withIssuer(issuer)
                .withClaim(TOKEN_USE, use)
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .withClaimPresence(TOKEN_COUNT)
                .acceptLeeway(0);
        return new Kind(use, algorithm, ttl, verification.build(clock));
    }

    /** One kind of token: its claim value, key, lifetime and the verifier built once for it. */
    private record Kind(String use, Algorithm algorithm, Duration ttl, JWTVerifier verifier) {
    }
}
