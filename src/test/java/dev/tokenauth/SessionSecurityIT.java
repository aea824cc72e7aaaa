package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.Components;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Sessions under attack and under concurrency, against the real DynamoDB server: refresh rotation
 * with reuse detection and its grace window, several devices, password change, hash upgrade,
 * login throttling, and the GraphQL limits.
 */
class SessionSecurityIT {

    private static final String PASSWORD = "correct horse battery staple";

    private final LambdaHarness lambda = LambdaHarness.get();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void everyRefreshRotatesAndTheReplacedTokenIsReplayedOnlyWithinTheGraceWindow() {
        String name = uniqueName();
        TokenPair gen0 = register(name);

        TokenPair gen1 = refresh(gen0.refreshToken());
        assertThat(gen1.refreshToken()).isNotEqualTo(gen0.refreshToken());
        // A concurrent request of the same client, carrying gen0 a moment later, gets gen1 again.
        assertThat(refresh(gen0.refreshToken())).isEqualTo(gen1);

        TokenPair gen2 = refresh(gen1.refreshToken());
        assertThat(gen2).isNotEqualTo(gen1);
        assertThat(session(name).generation()).isEqualTo(2);

        // gen0 is now two generations old: a replay. Every session of the user ends.
        LambdaResponse replay = invokeWithRefresh(gen0.refreshToken());
        assertThat(replay.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(replay.header("x-refresh-token")).isNull();
        User user = lambda.users().findByUsername(name).orElseThrow();
        assertThat(user.sessions()).isEmpty();
        assertThat(user.tokenCount()).isEqualTo(1);
        assertThat(invokeWithRefresh(gen2.refreshToken()).firstErrorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void concurrentRefreshesWithOneTokenAllGetTheSameNewPairAndLoseNoUpdate() throws Exception {
        String name = uniqueName();
        TokenPair pair = register(name);
        List<Callable<LambdaResponse>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> invokeWithRefresh(pair.refreshToken()));
        }
        Set<String> newRefreshTokens = new java.util.HashSet<>();
        for (Future<LambdaResponse> future : pool.invokeAll(calls)) {
            LambdaResponse response = future.get();
            assertThat(response.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
            newRefreshTokens.add(response.header("x-refresh-token"));
        }
        assertThat(newRefreshTokens).hasSize(1).doesNotContainNull();
        User user = lambda.users().findByUsername(name).orElseThrow();
        assertThat(user.tokenCount()).isZero();
        assertThat(user.sessions().values()).singleElement().satisfies(s -> assertThat(s.generation()).isEqualTo(1));
    }

    @Test
    void theReplacedTokenAfterTheGraceWindowIsAReplay() {
        String name = uniqueName();
        TokenPair gen0 = register(name);
        refresh(gen0.refreshToken());
        // The rotation as it would stand once the grace window has passed: rotated that long ago.
        User user = lambda.users().findByUsername(name).orElseThrow();
        dev.tokenauth.user.Session rotated = user.sessions().values().iterator().next();
        Duration pastTheWindow = Duration.ofSeconds(AppConfig.DEFAULT_REFRESH_GRACE_SECONDS + 1);
        assertThat(lambda.users().update(user.replacingSession(new dev.tokenauth.user.Session(rotated.id(),
                rotated.generation(), rotated.rotatedAt().minus(pastTheWindow), rotated.createdAt(),
                rotated.lastUsedAt(), rotated.label(), rotated.multiFactor())))).isTrue();

        LambdaResponse late = invokeWithRefresh(gen0.refreshToken());
        assertThat(late.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(late.header("x-refresh-token")).isNull();
        User after = lambda.users().findByUsername(name).orElseThrow();
        assertThat(after.sessions()).as("reuse detected: every session ends").isEmpty();
        assertThat(after.tokenCount()).isEqualTo(1);
    }

    @Test
    void aLogoutWrittenBetweenARefreshsReadAndItsWriteWins() throws Exception {
        String name = uniqueName();
        TokenPair pair = register(name);
        boolean[] held = new boolean[1];
        DynamoCalls.beforeNext("UpdateItem", () -> {
            held[0] = true;
            try {
                LambdaResponse logout = pool.submit(() -> lambda.invoke(Event.load("logout.json")
                        .header("x-access-token", pair.accessToken()))).get();
                assertThat(logout.data("logout").booleanValue()).isTrue();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> calls = DynamoCalls.during(() -> {
            LambdaResponse refresh = invokeWithRefresh(pair.refreshToken());
            assertThat(refresh.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(refresh.header("x-refresh-token")).as("no pair for the ended session").isNull();
        });
        assertThat(held[0]).as("the logout ran between the refresh's read and its write").isTrue();
        assertThat(calls).as("the refresh's write lost its condition, and the item read again has no session")
                .containsExactly("DynamoDb:GetItem", "DynamoDb:UpdateItem", "DynamoDb:GetItem");
        assertThat(lambda.users().findByUsername(name).orElseThrow().sessions()).isEmpty();
    }

    @Test
    void logoutRacingARefreshEndsTheSessionEitherWay() throws Exception {
        for (int round = 0; round < 5; round++) {
            String name = uniqueName();
            TokenPair pair = register(name);
            Future<LambdaResponse> refresh = pool.submit(() -> invokeWithRefresh(pair.refreshToken()));
            Future<LambdaResponse> logout = pool.submit(() -> lambda.invoke(Event.load("logout.json")
                    .header("x-access-token", pair.accessToken())));
            assertThat(logout.get().data("logout").booleanValue()).isTrue();
            refresh.get();
            // Whichever wrote first, the refresh never brings the ended session back.
            assertThat(lambda.users().findByUsername(name).orElseThrow().sessions()).isEmpty();
        }
    }

    @Test
    void eachLoginIsASessionAndTheLeastRecentlyUsedGoBeyondTheLimit() {
        String name = uniqueName();
        TokenPair first = register(name);
        TokenPair second = login(name, PASSWORD);
        // The first device keeps working: its refresh makes it the most recently used.
        TokenPair firstRefreshed = refresh(first.refreshToken());
        List<TokenPair> devices = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            devices.add(login(name, PASSWORD));
        }
        assertThat(lambda.users().findByUsername(name).orElseThrow().sessions()).hasSize(10);
        assertThat(invokeWithRefresh(second.refreshToken()).firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(invokeWithRefresh(firstRefreshed.refreshToken()).firstErrorCode()).isNull();
        assertThat(invokeWithRefresh(devices.get(8).refreshToken()).firstErrorCode()).isNull();
    }

    @Test
    void changingThePasswordEndsEverySessionAndReturnsAFreshPair() {
        String name = uniqueName();
        TokenPair laptop = register(name);
        TokenPair phone = login(name, PASSWORD);
        String newPassword = "a much better passphrase";

        LambdaResponse wrongOld = changePassword(phone, "not the password", newPassword);
        assertThat(wrongOld.firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");

        LambdaResponse changed = changePassword(phone, PASSWORD, newPassword);
        assertThat(changed.firstErrorCode()).isNull();
        TokenPair fresh = new TokenPair(changed.data("changePassword").path("accessToken").stringValue(),
                changed.data("changePassword").path("refreshToken").stringValue());

        for (TokenPair old : List.of(laptop, phone)) {
            assertThat(invokeWithRefresh(old.refreshToken()).firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        }
        assertThat(invokeWithRefresh(fresh.refreshToken()).firstErrorCode()).isNull();
        assertThat(loginResponse(name, PASSWORD).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(loginResponse(name, newPassword).firstErrorCode()).isNull();
    }

    @Test
    void aLoginUpgradesAHashMadeWithALowerCost() {
        String name = uniqueName();
        String weakHash = new BCryptPasswordEncoder(4).encode(PASSWORD);
        lambda.users().create(new User("legacy-" + name, name, weakHash, 0, Map.of(), Instant.now(), 0));

        assertThat(loginResponse(name, PASSWORD).firstErrorCode()).isNull();
        String stored = lambda.users().findByUsername(name).orElseThrow().passwordHash();
        assertThat(stored).startsWith("$2a$10$").isNotEqualTo(weakHash);
        assertThat(loginResponse(name, PASSWORD).firstErrorCode()).isNull();
    }

    @Test
    void repeatedFailuresLockANameTheSameWayWhetherOrNotItExists() {
        String existing = uniqueName();
        register(existing);
        String missing = uniqueName();
        for (String name : List.of(existing, missing)) {
            for (int i = 0; i < 5; i++) {
                assertThat(loginResponse(name, "wrong password " + i).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
            }
            // Five failures are free; now the name is locked, even for the right password: the lock does not reveal whether it is right.
            LambdaResponse locked = loginResponse(name, PASSWORD);
            assertThat(locked.firstErrorCode()).isEqualTo("LOGIN_THROTTLED");
            var extensions = locked.json().path("errors").path(0).path("extensions");
            assertThat(extensions.path("retryAfterSeconds").asLong()).isBetween(1L, 5L);
        }
        String existingMessage = loginResponse(existing, PASSWORD).json().path("errors").path(0).path("message").stringValue();
        String missingMessage = loginResponse(missing, PASSWORD).json().path("errors").path(0).path("message").stringValue();
        assertThat(existingMessage.replaceAll("\\d+", "N")).isEqualTo(missingMessage.replaceAll("\\d+", "N"));
    }

    @Test
    void aSuccessfulLoginForgetsEarlierFailures() {
        String name = uniqueName();
        register(name);
        for (int i = 0; i < 4; i++) {
            loginResponse(name, "wrong password " + i);
        }
        assertThat(loginResponse(name, PASSWORD).firstErrorCode()).isNull();
        for (int i = 0; i < 4; i++) {
            assertThat(loginResponse(name, "wrong again " + i).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        }
        assertThat(loginResponse(name, PASSWORD).firstErrorCode()).isNull();
    }

    @Test
    void queriesOverTheLimitsAreRefusedWith400() {
        String deep = "{ __schema { types { fields { type " + "{ ofType ".repeat(16) + "{ name }" + " }".repeat(16)
                + " } } } }";
        LambdaResponse tooDeep = graphql(deep);
        assertThat(tooDeep.status()).as(tooDeep.body()).isEqualTo(400);
        assertThat(tooDeep.firstErrorCode()).isEqualTo("QUERY_TOO_COMPLEX");

        String batchedGuesses = "mutation { a: login(username: \\\"x-target\\\", password: \\\"guess one!\\\") "
                + "{ accessToken } b: login(username: \\\"x-target\\\", password: \\\"guess two!\\\") { accessToken } }";
        LambdaResponse batched = graphql(batchedGuesses);
        assertThat(batched.status()).isEqualTo(400);
        assertThat(batched.firstErrorCode()).isEqualTo("TOO_MANY_PASSWORD_CHECKS");

        String huge = "{ " + "__typename ".repeat(3_000) + "}";
        LambdaResponse tooLarge = graphql(huge);
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.firstErrorCode()).isEqualTo("QUERY_TOO_LARGE");
        assertThat(tooLarge.body()).doesNotContain("Exception");
    }

    @Test
    void theStandardIntrospectionQueryFitsTheLimitsWhereIntrospectionIsOn() throws Exception {
        String introspection = new String(getClass().getResourceAsStream("/introspection-query.graphql").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", introspection))));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().has("errors")).as(response.body()).isFalse();
        assertThat(response.json().path("data").path("__schema").path("types").isArray()).isTrue();
    }

    @Test
    void introspectionCanBeSwitchedOff() {
        Map<String, String> env = new HashMap<>(Map.of(
                AppConfig.ACCESS_TOKEN_SECRET, LambdaHarness.ACCESS_SECRET,
                AppConfig.REFRESH_TOKEN_SECRET, LambdaHarness.REFRESH_SECRET,
                AppConfig.USERS_TABLE, lambda.table,
                AppConfig.INTROSPECTION_ENABLED, "false"));
        var handler = Components.build(AppConfig.load(env::get), lambda.dynamo, Clock.systemUTC(), List.of()).handler();
        var event = new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST").withPath("/graphql")
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"query\":\"{ __schema { queryType { name } } }\"}");
        var response = handler.apply(event);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("INTROSPECTION_DISABLED");
        var ordinary = handler.apply(event.withBody("{\"query\":\"{ __typename }\"}"));
        assertThat(ordinary.getStatusCode()).isEqualTo(200);
    }

    private LambdaResponse graphql(String query) {
        return lambda.invoke(Event.load("logged-in-user.json").body("{\"query\":\"" + query + "\"}"));
    }

    private dev.tokenauth.user.Session session(String name) {
        return lambda.users().findByUsername(name).orElseThrow().sessions().values().iterator().next();
    }

    private LambdaResponse invokeWithRefresh(String refreshToken) {
        return lambda.invoke(Event.load("logged-in-user.json").header("x-refresh-token", refreshToken));
    }

    private TokenPair refresh(String refreshToken) {
        LambdaResponse response = invokeWithRefresh(refreshToken);
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return new TokenPair(response.header("x-access-token"), response.header("x-refresh-token"));
    }

    private LambdaResponse changePassword(TokenPair pair, String oldPassword, String newPassword) {
        return lambda.invoke(Event.load("logout.json")
                .body(Event.JSON.writeValueAsString(Map.of(
                        "query", "mutation($old: String!, $new: String!) { changePassword(oldPassword: $old, "
                                + "newPassword: $new) { accessToken refreshToken } }",
                        "variables", Map.of("old", oldPassword, "new", newPassword))))
                .header("x-access-token", pair.accessToken()));
    }

    private TokenPair register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).isNull();
        return new TokenPair(response.data("register").path("accessToken").stringValue(),
                response.data("register").path("refreshToken").stringValue());
    }

    private TokenPair login(String name, String password) {
        LambdaResponse response = loginResponse(name, password);
        assertThat(response.firstErrorCode()).isNull();
        return new TokenPair(response.data("login").path("accessToken").stringValue(),
                response.data("login").path("refreshToken").stringValue());
    }

    private LambdaResponse loginResponse(String name, String password) {
        return lambda.invoke(Event.load("login.json").variables(credentials(name, password)));
    }
}
