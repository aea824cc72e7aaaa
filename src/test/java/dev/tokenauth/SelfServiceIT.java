package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.principalOf;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tokenauth.account.LoginBackoff;
import dev.tokenauth.account.LoginThrottle;
import dev.tokenauth.local.UsersTable;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * The caller's own sessions and account through the real FunctionInvoker against the real
 * DynamoDB server: the {@code sessions} list, {@code revokeSession} (also racing refreshes of the
 * session it ends) and {@code deleteAccount} (its password check, what it removes, and name reuse).
 */
class SelfServiceIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String LAPTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0";
    private static final String PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 " + "ExtensionToken/1.0 ".repeat(8);
    private static final String LOGIN = "mutation($username: String!, $password: String!, $deviceToken: String) { "
            + "login(username: $username, password: $password, deviceToken: $deviceToken) "
            + "{ accessToken refreshToken deviceToken } }";

    private final LambdaHarness lambda = LambdaHarness.get();
    private final ExecutorService pool = Executors.newFixedThreadPool(9);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void sessionsListsTheCallersOwnDevicesMarksTheCurrentOneAndFollowsRefreshes() {
        String name = uniqueName();
        endSession(register(name));
        TokenPair laptop = login(name, PASSWORD, LAPTOP);
        TokenPair phone = login(name, PASSWORD, PHONE);
        String stranger = uniqueName();
        register(stranger);
        String strangersSession = sessionId(login(stranger, PASSWORD, PHONE));

        JsonNode fromPhone = sessions(phone.accessToken());
        assertThat(ids(fromPhone)).containsExactlyInAnyOrder(sessionId(laptop), sessionId(phone))
                .doesNotContain(strangersSession);
        // Labels are the user agent, cut to the first 64 characters.
        assertThat(entry(fromPhone, sessionId(phone)).path("label").stringValue()).isEqualTo(PHONE.substring(0, Session.MAX_LABEL_LENGTH));
        assertThat(entry(fromPhone, sessionId(phone)).path("current").booleanValue()).isTrue();
        assertThat(entry(fromPhone, sessionId(laptop)).path("label").stringValue()).isEqualTo(LAPTOP);
        assertThat(entry(fromPhone, sessionId(laptop)).path("current").booleanValue()).isFalse();

        JsonNode fromLaptop = sessions(laptop.accessToken());
        assertThat(entry(fromLaptop, sessionId(laptop)).path("current").booleanValue()).isTrue();
        assertThat(entry(fromLaptop, sessionId(phone)).path("current").booleanValue()).isFalse();

        // The laptop refreshes: its session moves to the front of the list, used later than before.
        Instant usedBefore = Instant.parse(entry(fromPhone, sessionId(laptop)).path("lastUsedAt").stringValue());
        LambdaResponse refreshed = lambda.invoke(Event.load("sessions.json").header("x-refresh-token", laptop.refreshToken()));
        assertThat(refreshed.header("x-refresh-token")).isNotNull();
        assertThat(entry(refreshed.data("sessions"), sessionId(laptop)).path("current").booleanValue()).isTrue();

        JsonNode afterRefresh = sessions(phone.accessToken());
        assertThat(afterRefresh.path(0).path("id").stringValue()).isEqualTo(sessionId(laptop));
        JsonNode laptopEntry = entry(afterRefresh, sessionId(laptop));
        assertThat(Instant.parse(laptopEntry.path("lastUsedAt").stringValue())).isAfter(usedBefore);
        assertThat(laptopEntry.path("createdAt").stringValue())
                .isEqualTo(entry(fromPhone, sessionId(laptop)).path("createdAt").stringValue());

        LambdaResponse anonymous = lambda.invoke(Event.load("sessions.json"));
        assertThat(anonymous.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void revokeSessionEndsOneOwnSessionAtOnceAndKeepsTheOthers() {
        String name = uniqueName();
        endSession(register(name));
        TokenPair laptop = login(name, PASSWORD, LAPTOP);
        TokenPair phone = login(name, PASSWORD, PHONE);

        LambdaResponse revoked = revoke(phone.accessToken(), sessionId(laptop));
        assertThat(revoked.firstErrorCode()).as(revoked.body()).isNull();
        assertThat(revoked.data("revokeSession").booleanValue()).isTrue();

        LambdaResponse refresh = refreshOnly(laptop.refreshToken());
        assertThat(refresh.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(refresh.header("x-refresh-token")).isNull();
        // The laptop's access token is still signed and unexpired, but its session is gone.
        assertThat(lambda.invoke(Event.load("sessions.json").header("x-access-token", laptop.accessToken()))
                .firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", laptop.accessToken()))
                .firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(revoke(laptop.accessToken(), sessionId(phone)).firstErrorCode()).isEqualTo("UNAUTHENTICATED");

        assertThat(ids(sessions(phone.accessToken()))).containsExactly(sessionId(phone));
        assertThat(refreshOnly(phone.refreshToken()).firstErrorCode()).isNull();
    }

    @Test
    void revokeSessionRefusesAnotherUsersAnUnknownAndAnEmptyIdAlikeAndChangesNothing() {
        String victim = uniqueName();
        TokenPair victims = register(victim);
        String attacker = uniqueName();
        TokenPair attackers = register(attacker);
        User victimBefore = stored(victim);
        User attackerBefore = stored(attacker);

        Set<String> messages = new HashSet<>();
        for (String id : List.of(sessionId(victims), "no-such-session", "")) {
            LambdaResponse refused = revoke(attackers.accessToken(), id);
            assertThat(refused.firstErrorCode()).as(id).isEqualTo("BAD_USER_INPUT");
            assertThat(refused.json().path("data").isNull()).as("a Boolean! field's error nulls data").isTrue();
            messages.add(refused.json().path("errors").path(0).path("message").stringValue());
        }
        assertThat(messages).hasSize(1);

        assertThat(stored(victim)).isEqualTo(victimBefore);
        assertThat(stored(attacker)).isEqualTo(attackerBefore);
        assertThat(refreshOnly(victims.refreshToken()).firstErrorCode()).isNull();
    }

    @Test
    void deleteAccountWithAWrongPasswordDeletesNothingAndCountsTheAttempt() {
        String name = uniqueName();
        TokenPair pair = register(name);
        User before = stored(name);

        // Ill-formed passwords (empty, over BCrypt's 72 bytes) are wrong passwords like any other.
        List<String> wrongPasswords = new ArrayList<>(List.of("", PASSWORD.repeat(4)));
        while (wrongPasswords.size() < LoginBackoff.DEFAULT.freeAttempts()) {
            wrongPasswords.add("not the password " + wrongPasswords.size());
        }
        for (String password : wrongPasswords) {
            LambdaResponse wrong = deleteAccount(pair.accessToken(), password);
            assertThat(wrong.firstErrorCode()).as(wrong.body()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(wrong.json().path("data").isNull()).isTrue();
        }
        String sessionBudget = LoginThrottle.Budget.ofSession(GraphqlFunctionIT.principalOf(pair).sessionId()).key();
        assertThat(storedKeys()).contains(name, sessionBudget).doesNotContain(LoginThrottle.Budget.ofName(name).key());
        // The failures locked the session: not even the right password gets checked in it now.
        assertThat(deleteAccount(pair.accessToken(), PASSWORD).firstErrorCode()).isEqualTo("LOGIN_THROTTLED");
        User unchanged = stored(name);
        // The name is not locked by them: a login goes on (and adds a session, nothing else).
        assertThat(loginResponse(name, PASSWORD, null, LAPTOP).firstErrorCode()).isNull();

        assertThat(unchanged).isEqualTo(before);
        assertThat(lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", pair.accessToken()))
                .data("loggedInUser").path("username").stringValue()).isEqualTo(name);
    }

    @Test
    void deleteAccountRemovesTheUserAndItsCountersAndEndsEveryTokenOfEverySession() {
        String name = uniqueName();
        TokenPair first = register(name);
        LambdaResponse laptopLogin = loginResponse(name, PASSWORD, null, LAPTOP);
        TokenPair laptop = pair(laptopLogin.data("login"));
        String deviceToken = laptopLogin.data("login").path("deviceToken").stringValue();
        // A failure from the trusted device and one from elsewhere: each leaves a counter behind.
        assertThat(loginResponse(name, "not the password", deviceToken, LAPTOP).firstErrorCode())
                .isEqualTo("INVALID_CREDENTIALS");
        assertThat(loginResponse(name, "not the password", null, PHONE).firstErrorCode())
                .isEqualTo("INVALID_CREDENTIALS");
        User before = stored(name);
        List<String> keys = new ArrayList<>(List.of(name, LoginThrottle.Budget.ofName(name).key()));
        before.devices().forEach(device -> keys.add(LoginThrottle.Budget.ofDevice(device).key()));
        assertThat(before.devices()).hasSize(1);
        assertThat(storedKeys()).containsAll(keys);

        LambdaResponse deleted = deleteAccount(first.accessToken(), PASSWORD);
        assertThat(deleted.firstErrorCode()).as(deleted.body()).isNull();
        assertThat(deleted.data("deleteAccount").booleanValue()).isTrue();

        assertThat(storedKeys()).doesNotContainAnyElementsOf(keys);
        assertThat(itemsWithUserId(before.userId())).isZero();
        for (TokenPair old : List.of(first, laptop)) {
            assertEnded(old);
        }

        // Someone else takes the name: a new account, which the old tokens do not open, nor the new ones the old.
        String otherPassword = "another person's passphrase";
        TokenPair newcomer = register(name, otherPassword);
        String newcomerId = principalOf(newcomer).userId();
        assertThat(newcomerId).isNotEqualTo(before.userId());
        for (TokenPair old : List.of(first, laptop)) {
            assertEnded(old);
        }
        LambdaResponse me = lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", newcomer.accessToken()));
        assertThat(me.data("loggedInUser").path("id").stringValue()).isEqualTo(newcomerId);
        assertThat(ids(sessions(newcomer.accessToken()))).containsExactly(sessionId(newcomer));
        assertThat(loginResponse(name, PASSWORD, deviceToken, LAPTOP).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(loginResponse(name, otherPassword, null, PHONE).firstErrorCode()).isNull();
    }

    @Test
    void refreshesRacingTheRevokeOfTheirSessionGetNoPairThatOutlivesIt() throws Exception {
        int refreshers = 8;
        for (int round = 0; round < 5; round++) {
            String name = uniqueName();
            TokenPair laptop = register(name);
            TokenPair phone = login(name, PASSWORD, PHONE);

            var start = new CountDownLatch(1);
            List<Future<LambdaResponse>> refreshes = new ArrayList<>();
            for (int i = 0; i < refreshers; i++) {
                refreshes.add(pool.submit(() -> {
                    start.await();
                    return refreshOnly(laptop.refreshToken());
                }));
            }
            Future<LambdaResponse> revoke = pool.submit(() -> {
                start.await();
                return revoke(phone.accessToken(), sessionId(laptop));
            });
            start.countDown();

            LambdaResponse revoked = revoke.get();
            assertThat(revoked.firstErrorCode()).as(revoked.body()).isNull();
            assertThat(revoked.data("revokeSession").booleanValue()).isTrue();
            Set<TokenPair> issued = new HashSet<>();
            for (Future<LambdaResponse> refresh : refreshes) {
                LambdaResponse response = refresh.get();
                if (response.header("x-refresh-token") != null) {
                    issued.add(new TokenPair(response.header("x-access-token"), response.header("x-refresh-token")));
                }
            }
            // At most the one rotation that won before the revoke; every pair of the session is dead now.
            assertThat(issued).as("round " + round).hasSizeLessThanOrEqualTo(1);
            assertThat(stored(name).session(sessionId(laptop))).as("round " + round).isEmpty();
            assertThat(refreshOnly(laptop.refreshToken()).header("x-refresh-token")).isNull();
            for (TokenPair pair : issued) {
                assertThat(refreshOnly(pair.refreshToken()).header("x-refresh-token")).as("round " + round).isNull();
                assertThat(sessionsResponse(pair.accessToken()).firstErrorCode()).isEqualTo("UNAUTHENTICATED");
            }
            // No refresh looked like a replay: the phone's session was left alone.
            assertThat(stored(name).tokenCount()).isZero();
            assertThat(refreshOnly(phone.refreshToken()).firstErrorCode()).isNull();
        }
    }

    /** Every resolver that reads the user refuses the pair, and its refresh token mints nothing. */
    private void assertEnded(TokenPair pair) {
        assertThat(lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", pair.accessToken()))
                .firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(sessionsResponse(pair.accessToken()).firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(deleteAccount(pair.accessToken(), PASSWORD).firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        LambdaResponse refresh = refreshOnly(pair.refreshToken());
        assertThat(refresh.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(refresh.header("x-refresh-token")).isNull();
    }

    private JsonNode sessions(String accessToken) {
        LambdaResponse response = sessionsResponse(accessToken);
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return response.data("sessions");
    }

    private LambdaResponse sessionsResponse(String accessToken) {
        return lambda.invoke(Event.load("sessions.json").header("x-access-token", accessToken));
    }

    private LambdaResponse revoke(String accessToken, String sessionId) {
        return lambda.invoke(Event.load("revoke-session.json").header("x-access-token", accessToken)
                .variables(Map.of("id", sessionId)));
    }

    private LambdaResponse deleteAccount(String accessToken, String password) {
        return lambda.invoke(Event.load("delete-account.json").header("x-access-token", accessToken)
                .variables(Map.of("password", password)));
    }

    /** A request with the refresh token alone, so the middleware must refresh. */
    private LambdaResponse refreshOnly(String refreshToken) {
        return lambda.invoke(Event.load("logged-in-user.json").header("x-refresh-token", refreshToken));
    }

    private void endSession(TokenPair pair) {
        assertThat(lambda.invoke(Event.load("logout.json").header("x-access-token", pair.accessToken()))
                .data("logout").booleanValue()).isTrue();
    }

    private static List<String> ids(JsonNode sessions) {
        List<String> ids = new ArrayList<>();
        sessions.forEach(session -> ids.add(session.path("id").stringValue()));
        return ids;
    }

    private static JsonNode entry(JsonNode sessions, String id) {
        for (JsonNode session : sessions) {
            if (id.equals(session.path("id").stringValue())) {
                return session;
            }
        }
        throw new AssertionError("no session " + id + " in " + sessions);
    }

    private static String sessionId(TokenPair pair) {
        return principalOf(pair).sessionId();
    }

    private User stored(String name) {
        return lambda.users().findByUsername(name).orElseThrow();
    }

    /** The partition keys of every item in the table: users and counters alike. */
    private Set<String> storedKeys() {
        Set<String> keys = new HashSet<>();
        lambda.dynamo.scanPaginator(request -> request.tableName(lambda.table)).items()
                .forEach(item -> keys.add(item.get(UsersTable.KEY).s()));
        return keys;
    }

    private long itemsWithUserId(String userId) {
        return lambda.dynamo.scanPaginator(request -> request.tableName(lambda.table)).items().stream()
                .filter(item -> AttributeValue.fromS(userId).equals(item.get("userId")))
                .count();
    }

    private TokenPair register(String name) {
        return register(name, PASSWORD);
    }

    private TokenPair register(String name, String password) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, password)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return pair(response.data("register"));
    }

    private TokenPair login(String name, String password, String userAgent) {
        LambdaResponse response = loginResponse(name, password, null, userAgent);
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return pair(response.data("login"));
    }

    private LambdaResponse loginResponse(String name, String password, String deviceToken, String userAgent) {
        var variables = new HashMap<String, Object>(credentials(name, password));
        variables.put("deviceToken", deviceToken);
        return lambda.invoke(Event.load("login.json").header("User-Agent", userAgent)
                .body(Event.JSON.writeValueAsString(Map.of("query", LOGIN, "variables", variables))));
    }

    private static TokenPair pair(JsonNode node) {
        return new TokenPair(node.path("accessToken").stringValue(), node.path("refreshToken").stringValue());
    }
}
