package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;

/**
 * The whole request path, end to end: the events in {@code events/} through the real
 * {@link org.springframework.cloud.function.adapter.aws.FunctionInvoker}, users in a real
 * DynamoDB-compatible server.
 */
public class GraphqlFunctionIT {

    private static final String PASSWORD = "correct horse battery staple";

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void registerLoginAndLoggedInUser() {
        String name = uniqueName();
        LambdaResponse registered = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.data("register").path("accessToken").stringValue()).isNotBlank();

        LambdaResponse login = lambda.invoke(Event.load("login.json").variables(credentials(name, PASSWORD)));
        assertThat(login.status()).isEqualTo(200);
        String accessToken = login.data("login").path("accessToken").stringValue();
        assertThat(login.data("login").path("refreshToken").stringValue()).isNotBlank();

        LambdaResponse me = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", accessToken));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
        assertThat(me.data("loggedInUser").path("id").stringValue()).isEqualTo(JWT.decode(accessToken).getSubject());
        assertThat(me.json().has("errors")).isFalse();
        // A valid access token needs no refresh: no new tokens in the headers.
        assertThat(me.header("x-access-token")).isNull();
    }

    @Test
    void usernamesAreCaseInsensitive() {
        String name = uniqueName();
        register(name);
        LambdaResponse login = lambda.invoke(Event.load("login.json")
                .variables(credentials("  " + name.toUpperCase() + " ", PASSWORD)));
        assertThat(login.data("login").path("accessToken").isString()).isTrue();
    }

    @Test
    void loginFailsTheSameWayForAWrongPasswordAndAnUnknownUser() {
        String name = uniqueName();
        register(name);
        LambdaResponse wrongPassword = lambda.invoke(Event.load("login.json")
                .variables(credentials(name, "not the password")));
        LambdaResponse unknownUser = lambda.invoke(Event.load("login.json")
                .variables(credentials(uniqueName(), PASSWORD)));

        for (LambdaResponse response : List.of(wrongPassword, unknownUser)) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.data("login").isNull()).isTrue();
            assertThat(response.firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        }
        assertThat(wrongPassword.json().path("errors").path(0).path("message"))
                .isEqualTo(unknownUser.json().path("errors").path(0).path("message"));
    }

    @Test
    void loggedInUserWithoutTokensIsUnauthenticated() {
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.data("loggedInUser").isNull()).isTrue();
        assertThat(response.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(response.json().path("errors").path(0).path("message").stringValue()).isEqualTo("Must authenticate");
    }

    @Test
    void expiredAccessTokenWithValidRefreshTokenReturnsTheUserAndANewPairInHeaders() {
        String name = uniqueName();
        Principal principal = principalOf(register(name));
        TokenPair old = LambdaHarness.tokens(Duration.ofMinutes(-16)).issue(principal);

        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .header("x-access-token", old.accessToken())
                .header("x-refresh-token", old.refreshToken()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
        String newAccess = response.header("x-access-token");
        String newRefresh = response.header("x-refresh-token");
        assertThat(newAccess).isNotBlank().isNotEqualTo(old.accessToken());
        assertThat(newRefresh).isNotBlank().isNotEqualTo(old.refreshToken());
        assertThat(response.header("Access-Control-Expose-Headers")).isEqualTo("x-access-token,x-refresh-token,dpop-nonce,www-authenticate,date");

        LambdaResponse withNewToken = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", newAccess));
        assertThat(withNewToken.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
    }

    @Test
    void refreshTokenAloneAlsoAuthenticates() {
        String name = uniqueName();
        TokenPair pair = register(name);
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .header("x-refresh-token", pair.refreshToken()));
        assertThat(response.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
        assertThat(response.header("x-access-token")).isNotBlank();
    }

    @Test
    void logoutEndsOnlyTheCurrentSession() {
        String name = uniqueName();
        TokenPair laptop = register(name);
        TokenPair phone = login(name);

        LambdaResponse logout = lambda.invoke(Event.load("logout.json").header("x-access-token", phone.accessToken()));
        assertThat(logout.status()).isEqualTo(200);
        assertThat(logout.data("logout").booleanValue()).isTrue();

        LambdaResponse phoneRefresh = lambda.invoke(Event.load("logged-in-user.json")
                .header("x-refresh-token", phone.refreshToken()));
        assertThat(phoneRefresh.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(phoneRefresh.header("x-access-token")).isNull();
        // loggedInUser reads the user anyway, so it also refuses the ended session's access token.
        LambdaResponse stale = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", phone.accessToken()));
        assertThat(stale.firstErrorCode()).isEqualTo("UNAUTHENTICATED");

        LambdaResponse laptopRefresh = lambda.invoke(Event.load("logged-in-user.json")
                .header("x-refresh-token", laptop.refreshToken()));
        assertThat(laptopRefresh.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
        assertThat(laptopRefresh.header("x-refresh-token")).isNotBlank();
    }

    @Test
    void logoutEverywhereVoidsEveryTokenOfTheUser() {
        String name = uniqueName();
        TokenPair first = register(name);
        TokenPair second = login(name);

        LambdaResponse logout = lambda.invoke(Event.load("logout.json")
                .body("{\"query\":\"mutation { logoutEverywhere }\"}")
                .header("x-access-token", second.accessToken()));
        assertThat(logout.data("logoutEverywhere").booleanValue()).isTrue();
        // The tutorial's mechanism: the stored count moves on, and every token carries the old one.
        assertThat(lambda.users().findByUsername(name).orElseThrow().tokenCount()).isEqualTo(1);

        for (TokenPair pair : List.of(first, second)) {
            LambdaResponse refresh = lambda.invoke(Event.load("logged-in-user.json")
                    .header("x-refresh-token", pair.refreshToken()));
            assertThat(refresh.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(refresh.header("x-access-token")).isNull();
            LambdaResponse access = lambda.invoke(Event.load("logged-in-user.json")
                    .header("x-access-token", pair.accessToken()));
            assertThat(access.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        }
        // A fresh login works again.
        LambdaResponse me = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", login(name).accessToken()));
        assertThat(me.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
    }

    @Test
    void logoutWithoutTokensIsUnauthenticated() {
        LambdaResponse response = lambda.invoke(Event.load("logout.json"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void forgedTokensAreRejected() {
        String name = uniqueName();
        TokenPair real = register(name);
        Principal principal = principalOf(real);
        TokenPair expired = LambdaHarness.tokens(Duration.ofDays(-8)).issue(principal);
        String[] parts = real.accessToken().split("\\.");
        String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace(name, name + "x").getBytes(StandardCharsets.UTF_8));
        String unsignedHeader = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

        Map<String, String> forgedAccessTokens = Map.of(
                "tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2],
                "alg none", unsignedHeader + "." + parts[1] + ".",
                "wrong key", JWT.create().withIssuer(LambdaHarness.ISSUER).withSubject(principal.userId())
                        .withClaim("username", name).withClaim("cnt", 0L).withClaim("token_use", "access")
                        .withIssuedAt(new java.util.Date()).withExpiresAt(new java.util.Date(System.currentTimeMillis() + 600_000))
                        .sign(Algorithm.HMAC256("some-other-key-that-is-long-enough-0123456789")),
                "refresh token as access token", real.refreshToken(),
                "expired", expired.accessToken(),
                "garbage", "not.a.jwt");
        forgedAccessTokens.forEach((kind, token) -> {
            LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", token));
            assertThat(response.firstErrorCode()).as(kind).isEqualTo("UNAUTHENTICATED");
            assertThat(response.status()).as(kind).isEqualTo(200);
        });

        Map<String, String> forgedRefreshTokens = Map.of(
                "access token as refresh token", real.accessToken(),
                "expired refresh token", expired.refreshToken(),
                "alg none refresh", unsignedHeader + "." + real.refreshToken().split("\\.")[1] + ".");
        forgedRefreshTokens.forEach((kind, token) -> {
            LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json").header("x-refresh-token", token));
            assertThat(response.firstErrorCode()).as(kind).isEqualTo("UNAUTHENTICATED");
            assertThat(response.header("x-access-token")).as(kind).isNull();
        });
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        String name = uniqueName();
        TokenPair pair = register(name);
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .header("X-Access-Token", pair.accessToken()));
        assertThat(response.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
    }

    @Test
    void aNameCanBeRegisteredOnlyOnceEvenConcurrently() throws Exception {
        String name = uniqueName();
        int attempts = 6;
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        try {
            List<Callable<LambdaResponse>> registrations = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                String password = PASSWORD + " " + i;
                registrations.add(() -> lambda.invoke(Event.load("register.json").variables(credentials(name, password))));
            }
            List<LambdaResponse> responses = new ArrayList<>();
            for (Future<LambdaResponse> future : pool.invokeAll(registrations)) {
                responses.add(future.get());
            }
            assertThat(responses).filteredOn(r -> r.data("register").isObject()).hasSize(1);
            assertThat(responses).filteredOn(r -> "USERNAME_TAKEN".equals(r.firstErrorCode())).hasSize(attempts - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void registrationRejectsBadNamesAndPasswords() {
        Map<String, Map<String, Object>> bad = Map.of(
                "short password", credentials(uniqueName(), "short"),
                "password over 72 bytes", credentials(uniqueName(), "é".repeat(37)),
                "name with spaces", credentials("ada lovelace", PASSWORD),
                "name too short", credentials("ab", PASSWORD),
                "injection-looking name", credentials("x' OR '1'='1", PASSWORD));
        bad.forEach((kind, variables) -> {
            LambdaResponse response = lambda.invoke(Event.load("register.json").variables(variables));
            assertThat(response.status()).as(kind).isEqualTo(200);
            assertThat(response.firstErrorCode()).as(kind).isEqualTo("BAD_USER_INPUT");
        });
    }

    @Test
    void getRunsQueriesButNotMutations() {
        String name = uniqueName();
        TokenPair pair = register(name);
        LambdaResponse query = lambda.invoke(Event.load("logged-in-user-get.json").header("x-access-token", pair.accessToken()));
        assertThat(query.status()).isEqualTo(200);
        assertThat(query.data("loggedInUser").path("username").stringValue()).isEqualTo(name);

        LambdaResponse mutation = lambda.invoke(Event.load("logged-in-user-get.json")
                .queryParameter("query", "mutation { logout }")
                .header("x-access-token", pair.accessToken()));
        assertThat(mutation.status()).isEqualTo(405);
        assertThat(mutation.header("Allow")).isEqualTo("POST");
        assertThat(lambda.users().findByUsername(name).orElseThrow().sessions()).hasSize(1);
    }

    @Test
    void preflightAnswersWithCorsHeaders() {
        LambdaResponse response = lambda.invoke(Event.load("preflight.json"));
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(response.header("Access-Control-Allow-Headers")).contains("x-access-token", "x-refresh-token");
        assertThat(response.header("Access-Control-Expose-Headers")).isEqualTo("x-access-token,x-refresh-token,dpop-nonce,www-authenticate,date");
    }

    @Test
    void malformedRequestsGetA4xxWithAGraphqlErrorBody() {
        Map<String, Event> requests = new java.util.LinkedHashMap<>();
        requests.put("truncated JSON (events/bad-request.json)", Event.load("bad-request.json"));
        requests.put("missing query", Event.load("logged-in-user.json").body("{\"variables\":{}}"));
        requests.put("query not a string", Event.load("logged-in-user.json").body("{\"query\":42}"));
        requests.put("variables not an object", Event.load("logged-in-user.json").body("{\"query\":\"{ __typename }\",\"variables\":[1]}"));
        requests.put("duplicate keys", Event.load("logged-in-user.json").body("{\"query\":\"{ __typename }\",\"query\":\"{ __typename }\"}"));
        requests.put("invalid base64", Event.load("logged-in-user.json").base64Body("%%%not base64%%%"));
        requests.put("invalid UTF-8", Event.load("logged-in-user.json")
                .base64Body(Base64.getEncoder().encodeToString(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'})));
        requests.put("empty body", Event.load("logged-in-user.json").body(""));
        requests.forEach((kind, event) -> {
            LambdaResponse response = lambda.invoke(event);
            assertThat(response.status()).as(kind).isEqualTo(400);
            assertThat(response.firstErrorCode()).as(kind).isEqualTo("BAD_REQUEST");
            assertThat(response.body()).as(kind).doesNotContain("Exception", "\tat ");
        });
    }

    @Test
    void contentTypeSizePathAndMethodAreChecked() {
        LambdaResponse wrongType = lambda.invoke(Event.load("logged-in-user.json").header("Content-Type", "text/plain"));
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.firstErrorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        String huge = "{\"query\":\"{ __typename }\",\"variables\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}";
        LambdaResponse tooLarge = lambda.invoke(Event.load("logged-in-user.json").body(huge));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.firstErrorCode()).isEqualTo("PAYLOAD_TOO_LARGE");

        LambdaResponse elsewhere = lambda.invoke(Event.load("logged-in-user.json").path("/other"));
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.firstErrorCode()).isEqualTo("NOT_FOUND");

        LambdaResponse put = lambda.invoke(Event.load("logged-in-user.json").method("PUT"));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, POST, OPTIONS");
        assertThat(put.firstErrorCode()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void base64BodiesAreDecoded() {
        String body = "{\"query\":\"{ __typename }\"}";
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .base64Body(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.data("__typename").stringValue()).isEqualTo("Query");
    }

    @Test
    void statusCodesFollowGraphqlOverHttp() {
        Event invalidQuery = Event.load("logged-in-user.json").body("{\"query\":\"{ noSuchField }\"}");
        LambdaResponse legacy = lambda.invoke(invalidQuery);
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.header("Content-Type")).startsWith("application/json");
        assertThat(legacy.json().has("data")).isFalse();

        LambdaResponse modern = lambda.invoke(Event.load("logged-in-user.json")
                .body("{\"query\":\"{ noSuchField }\"}")
                .header("Accept", "application/graphql-response+json, application/json;q=0.9"));
        assertThat(modern.status()).isEqualTo(400);
        assertThat(modern.header("Content-Type")).startsWith("application/graphql-response+json");

        LambdaResponse syntax = lambda.invoke(Event.load("logged-in-user.json")
                .body("{\"query\":\"{ loggedInUser { \"}")
                .header("Accept", "application/graphql-response+json"));
        assertThat(syntax.status()).isEqualTo(400);
        assertThat(syntax.json().path("errors").path(0).path("message").stringValue()).isNotBlank();
    }

    @Test
    void everyResponseIsPlainTextWithCorsAndNoStore() {
        for (String file : List.of("register.json", "login.json", "logged-in-user.json", "logout.json",
                "logged-in-user-get.json", "preflight.json", "bad-request.json")) {
            LambdaResponse response = lambda.invoke(Event.load(file));
            assertThat(response.raw().path("isBase64Encoded").isBoolean()).as(file).isTrue();
            assertThat(response.raw().path("isBase64Encoded").booleanValue()).as(file).isFalse();
            assertThat(response.header("Access-Control-Allow-Origin")).as(file).isEqualTo("*");
            assertThat(response.header("Access-Control-Expose-Headers")).as(file).isEqualTo("x-access-token,x-refresh-token,dpop-nonce,www-authenticate,date");
            assertThat(response.header("Cache-Control")).as(file).isEqualTo("no-store");
            // The adapter must not echo request headers back (it does for non-response return types).
            assertThat(response.header("X-Forwarded-For")).as(file).isNull();
        }
    }

    @Test
    void repeatedTokenHeadersWithDifferentValuesAreRefused() {
        TokenPair pair = register(uniqueName());
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .repeatedHeader("x-access-token", pair.accessToken(), "other"));
        assertThat(response.status()).isEqualTo(400);
    }

    private TokenPair register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).isNull();
        return pair(response.data("register"));
    }

    private TokenPair login(String name) {
        LambdaResponse response = lambda.invoke(Event.load("login.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).isNull();
        return pair(response.data("login"));
    }

    private static TokenPair pair(tools.jackson.databind.JsonNode node) {
        return new TokenPair(node.path("accessToken").stringValue(), node.path("refreshToken").stringValue());
    }

    public static Principal principalOf(TokenPair pair) {
        var jwt = JWT.decode(pair.refreshToken());
        return new Principal(jwt.getSubject(), jwt.getClaim("username").asString(), jwt.getClaim("cnt").asLong(),
                jwt.getClaim("sid").asString());
    }

    public static String uniqueName() {
        return "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> credentials(String username, String password) {
        return Map.of("username", username, "password", password);
    }
}
