package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tokenauth.token.DpopKey;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.Test;

/**
 * DPoP-bound sessions (RFC 9449) through the real function: a token pair copied out of the client
 * is useless without the client's key, the replaced refresh token included, inside the grace
 * window where a bearer session hands it the new pair. The URL proofs must name is rebuilt from
 * the event: {@code https://} + {@code requestContext.domainName} + {@code requestContext.path}.
 */
class DpopIT {

    static final String URL = "https://abcdef1234.execute-api.us-east-1.amazonaws.com/Prod/graphql";
    private static final String PASSWORD = "correct horse battery staple";

    private final LambdaHarness lambda = LambdaHarness.get();
    private final DpopKey browser = DpopKey.generate();
    private final DpopKey thief = DpopKey.generate();

    @Test
    void aLoginWithAProofBindsTheSessionAndItsTokensWorkOnlyWithProofsFromThatKey() {
        String name = uniqueName();
        TokenPair pair = login(register(name), name);

        assertThat(JWT.decode(pair.accessToken()).getClaim("cnf").asMap()).isEqualTo(Map.of("jkt", browser.thumbprint()));
        assertThat(session(name).keyThumbprint()).isEqualTo(browser.thumbprint());
        LambdaResponse own = whoAmI(pair.accessToken(), browser.proof("POST", URL, Instant.now(), pair.accessToken()));
        assertThat(own.firstErrorCode()).as(own.body()).isNull();
        assertThat(own.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
        LambdaResponse scheme = lambda.invoke(Event.load("logged-in-user.json")
                .header("Authorization", "DPoP " + pair.accessToken())
                .header("DPoP", browser.proof("POST", URL, Instant.now(), pair.accessToken())));
        assertThat(scheme.data("loggedInUser").path("username").stringValue()).as(scheme.body()).isEqualTo(name);

        // The copied access token, replayed without a proof, or with a proof of the thief's own key.
        LambdaResponse bare = whoAmI(pair.accessToken(), null);
        assertThat(bare.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(bare.header("WWW-Authenticate")).startsWith("DPoP ").contains("algs=\"ES256\"");
        LambdaResponse forged = whoAmI(pair.accessToken(), thief.proof("POST", URL, Instant.now(), pair.accessToken()));
        assertThat(forged.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(forged.header("WWW-Authenticate")).startsWith("DPoP ");
    }

    @Test
    void aCopiedRefreshTokenIsRefusedAndSoIsTheReplacedOneInsideTheGraceWindowWhereABearerSessionLetsTheThiefIn() {
        String bearerName = uniqueName();
        String boundName = uniqueName();
        TokenPair bearer = registerBearer(bearerName);
        TokenPair bound = login(register(boundName), boundName);

        // The copied refresh tokens, used by the thief before the victim refreshes.
        assertThat(refresh(bound.refreshToken(), null).header("x-refresh-token")).isNull();
        assertThat(refresh(bound.refreshToken(), thief.proof("POST", URL, Instant.now(), null)).header("x-refresh-token"))
                .isNull();

        // The victims refresh; the thieves replay the replaced tokens inside the grace window.
        assertThat(refresh(bearer.refreshToken(), null).header("x-refresh-token")).isNotNull();
        LambdaResponse victim = refresh(bound.refreshToken(), browser.proof("POST", URL, Instant.now(), null));
        assertThat(victim.header("x-refresh-token")).as(victim.body()).isNotNull();

        LambdaResponse bearerThief = refresh(bearer.refreshToken(), null);
        assertThat(bearerThief.header("x-refresh-token")).as("a bearer session's grace window lets the thief in")
                .isNotNull();
        for (String proof : new String[] {null, thief.proof("POST", URL, Instant.now(), null)}) {
            LambdaResponse boundThief = refresh(bound.refreshToken(), proof);
            assertThat(boundThief.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(boundThief.header("x-refresh-token")).isNull();
            assertThat(boundThief.header("x-access-token")).isNull();
        }
        // The thief's attempts changed nothing: the victim's session goes on, still bound.
        assertThat(session(boundName).generation()).isEqualTo(1);
        assertThat(session(boundName).keyThumbprint()).isEqualTo(browser.thumbprint());
        TokenPair next = new TokenPair(victim.header("x-access-token"), victim.header("x-refresh-token"));
        assertThat(JWT.decode(next.accessToken()).getClaim("cnf").asMap()).isEqualTo(Map.of("jkt", browser.thumbprint()));
        assertThat(whoAmI(next.accessToken(), browser.proof("POST", URL, Instant.now(), next.accessToken()))
                .firstErrorCode()).isNull();
    }

    @Test
    void aProofReplayedOnARefreshIsRefused() {
        String name = uniqueName();
        TokenPair pair = login(register(name), name);
        String proof = browser.proof("POST", URL, Instant.now(), null);

        assertThat(refresh(pair.refreshToken(), proof).header("x-refresh-token")).isNotNull();
        LambdaResponse replay = refresh(pair.refreshToken(), proof);

        assertThat(replay.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(replay.header("x-refresh-token")).isNull();
    }

    @Test
    void proofsForAnotherUrlOrMethodOldOrFromAnotherSignerOrWithoutAnAsymmetricSignatureAreRefused() {
        String name = uniqueName();
        TokenPair pair = login(register(name), name);
        String token = pair.accessToken();
        Instant now = Instant.now();
        Map<String, Object> header = Map.of("typ", "dpop+jwt", "jwk", browser.publicJwk());

        Map<String, String> refused = Map.of(
                "another URL", browser.proof("POST", "https://abcdef1234.execute-api.us-east-1.amazonaws.com/Prod/other", now, token),
                "another method", browser.proof("GET", URL, now, token),
                "an old iat", browser.proof("POST", URL, now.minus(Duration.ofMinutes(10)), token),
                "another signer", DpopKey.proof(header, "POST", URL, now, token, "j1", thief.algorithm()),
                "alg none", DpopKey.proof(header, "POST", URL, now, token, "j2", Algorithm.none()),
                "HS256", DpopKey.proof(header, "POST", URL, now, token, "j3",
                        Algorithm.HMAC256("a shared secret of thirty-two bytes!")),
                "another access token's ath", browser.proof("POST", URL, now, "another.access.token"));
        refused.forEach((what, proof) -> {
            LambdaResponse response = whoAmI(token, proof);
            assertThat(response.status()).as(what).isEqualTo(401);
            assertThat(response.firstErrorCode()).as(what).isEqualTo("INVALID_DPOP_PROOF");
            assertThat(response.header("WWW-Authenticate")).as(what).startsWith("DPoP error=\"invalid_dpop_proof\"");
            assertThat(response.body()).as(what).doesNotContain(proof).doesNotContain(token);
        });
    }

    @Test
    void theBrowserCanSendTheDpopHeaderAndReadTheNonceAndChallenge() {
        LambdaResponse preflight = lambda.invoke(Event.load("preflight.json"));
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("dpop");
        assertThat(preflight.header("Access-Control-Expose-Headers")).contains("dpop-nonce").contains("www-authenticate");
    }

    private TokenPair register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD))
                .header("DPoP", browser.proof("POST", URL, Instant.now(), null)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return new TokenPair(response.data("register").path("accessToken").stringValue(),
                response.data("register").path("refreshToken").stringValue());
    }

    private TokenPair registerBearer(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return new TokenPair(response.data("register").path("accessToken").stringValue(),
                response.data("register").path("refreshToken").stringValue());
    }

    /** A second, bound login of a registered user (registration binds too; logging in shows login does). */
    private TokenPair login(TokenPair registered, String name) {
        assertThat(JWT.decode(registered.accessToken()).getClaim("cnf").asMap()).containsEntry("jkt", browser.thumbprint());
        LambdaResponse response = lambda.invoke(Event.load("login.json").variables(credentials(name, PASSWORD))
                .header("DPoP", browser.proof("POST", URL, Instant.now(), null)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return new TokenPair(response.data("login").path("accessToken").stringValue(),
                response.data("login").path("refreshToken").stringValue());
    }

    private LambdaResponse whoAmI(String accessToken, String proof) {
        Event event = Event.load("logged-in-user.json").header("x-access-token", accessToken);
        return lambda.invoke(proof == null ? event : event.header("DPoP", proof));
    }

    private LambdaResponse refresh(String refreshToken, String proof) {
        Event event = Event.load("logged-in-user.json").header("x-refresh-token", refreshToken);
        return lambda.invoke(proof == null ? event : event.header("DPoP", proof));
    }

    /** The user's newest session (the login's). */
    private dev.tokenauth.user.Session session(String name) {
        User user = lambda.users().findByUsername(name).orElseThrow();
        return user.sessions().values().stream()
                .max(java.util.Comparator.comparing(dev.tokenauth.user.Session::createdAt)).orElseThrow();
    }
}
