package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.principalOf;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.account.LoginBackoff;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.ops.Metrics;
import dev.tokenauth.ops.MetricsTest;
import dev.tokenauth.ops.UsernameDigest;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The security events of one account's life, through the deployed handler: each request records
 * exactly the events it should, once, in a JSON line that names the API Gateway request, the
 * Lambda invocation and who sent it, with the metric of the events that have one.
 */
class SecurityEventsIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String NEW_PASSWORD = "an even better passphrase";
    private static final String LOGIN_WITH_DEVICE = "mutation($username: String!, $password: String!, $device: String) "
            + "{ login(username: $username, password: $password, deviceToken: $device) { accessToken refreshToken deviceToken } }";
    private static final Map<String, String> METRIC_OF = Map.of(
            "login_succeeded", Metrics.LOGIN_SUCCEEDED,
            "login_failed", Metrics.LOGIN_FAILED,
            "login_throttled", Metrics.LOGIN_THROTTLED,
            "session_refreshed", Metrics.SESSION_REFRESHED,
            "refresh_reuse_detected", Metrics.REFRESH_REUSE_DETECTED);
    private static final Map<String, String> REASON_OF = Map.of(
            "login_failed", "invalid_credentials",
            "login_throttled", "too_many_failures");

    /** One request of the scenario, as sent. */
    private record Sent(String step, String requestId, String awsRequestId, String sourceIp, String userAgent) {
    }

    /** One event the scenario expects; {@code attempted} is the name a failed login tried. */
    private record Expected(Sent request, String event, String userId, String sessionId, String attempted) {
    }

    private final LambdaHarness lambda = LambdaHarness.get();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, Sent> sent = new LinkedHashMap<>();
    private final List<Expected> expected = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>(List.of(PASSWORD, NEW_PASSWORD,
            LambdaHarness.ACCESS_SECRET, LambdaHarness.REFRESH_SECRET));
    private Sent last;

    @Test
    void eachRequestRecordsItsSecurityEventsOnceWithWhoSentIt() {
        String name = uniqueName();
        String unknown = uniqueName();
        var logs = LogCapture.start();
        String captured;
        try (logs) {
            runScenario(name, unknown);
            captured = logs.stop();
        }

        List<JsonNode> lines = SecurityLines.in(logs.output()).stream()
                .filter(line -> sent.containsKey(line.path("requestId").stringValue()))
                .toList();
        assertThat(lines.stream().map(line -> sent.get(line.get("requestId").stringValue()).step() + ": "
                + line.path("event").stringValue()).toList())
                .containsExactlyElementsOf(expected.stream().map(e -> e.request().step() + ": " + e.event()).toList());

        UsernameDigest digest = UsernameDigest.derivedFrom(LambdaHarness.ACCESS_SECRET.getBytes(StandardCharsets.UTF_8));
        Map<String, String> failureReasons = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            Expected want = expected.get(i);
            String text = line.toString();
            assertThat(field(line, "awsRequestId")).as(text).isEqualTo(want.request().awsRequestId());
            assertThat(field(line, "sourceIp")).as(text).isEqualTo(want.request().sourceIp());
            assertThat(field(line, "userAgent")).as(text).isEqualTo(want.request().userAgent());
            assertThat(field(line, "userId")).as(text).isEqualTo(want.userId());
            assertThat(field(line, "sessionId")).as(text).isEqualTo(want.sessionId());
            assertThat(field(line, "usernameHash")).as(text)
                    .isEqualTo(want.attempted() == null ? null : digest.of(want.attempted()));
            assertThat(field(line, "reason")).as(text).isEqualTo(REASON_OF.get(want.event()));
            assertThat(text).doesNotContainIgnoringCase(name).doesNotContainIgnoringCase(unknown);
            String metric = METRIC_OF.get(want.event());
            if (metric != null) {
                MetricsTest.assertValidEmf(line, AppConfig.DEFAULT_METRICS_NAMESPACE, metric);
            } else {
                assertThat(line.has("_aws")).as(text).isFalse();
            }
            for (String other : Metrics.NAMES) {
                assertThat(line.has(other)).as("%s in %s", other, text).isEqualTo(other.equals(metric));
            }
            if (want.attempted() != null && want.event().equals("login_failed")) {
                failureReasons.put(want.attempted(), field(line, "reason"));
            }
        }
        // An unknown name and a wrong password read the same in the log as in the answer.
        assertThat(failureReasons).containsOnlyKeys(name, unknown);
        assertThat(failureReasons.get(unknown)).isEqualTo(failureReasons.get(name));

        assertThat(secrets).doesNotContainNull().allSatisfy(secret -> assertThat(secret).isNotBlank());
        for (String secret : secrets) {
            assertThat(captured).doesNotContain(secret);
        }
    }

    private void runScenario(String name, String unknown) {
        TokenPair registered = tokens(send("register", Event.load("register.json")
                .variables(credentials(name, PASSWORD))).data("register"));
        Principal account = principalOf(registered);
        String userId = account.userId();
        secrets.add(lambda.users().findByUsername(name).orElseThrow().passwordHash());
        expect("user_registered", userId, account.sessionId(), null);

        JsonNode firstLogin = send("login", graphql(LOGIN_WITH_DEVICE, credentials(name, PASSWORD))).data("login");
        TokenPair laptop = tokens(firstLogin);
        String deviceToken = firstLogin.path("deviceToken").stringValue();
        secrets.add(deviceToken);
        expect("login_succeeded", userId, principalOf(laptop).sessionId(), null);

        assertThat(send("wrong password", Event.load("login.json").variables(credentials(name, "not the password")))
                .firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        expect("login_failed", null, null, name);
        assertThat(send("unknown name", Event.load("login.json").variables(credentials(unknown, PASSWORD)))
                .firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        expect("login_failed", null, null, unknown);

        // From the owner's device: its own budget locks, and the name's stays free for what follows.
        Map<String, Object> wrongFromDevice = Map.of("username", name, "password", "still not it", "device", deviceToken);
        for (int i = 1; i <= LoginBackoff.DEFAULT.freeAttempts(); i++) {
            assertThat(send("wrong password " + i + " from the device", graphql(LOGIN_WITH_DEVICE, wrongFromDevice))
                    .firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
            expect("login_failed", null, null, name);
        }
        assertThat(send("one more from the device", graphql(LOGIN_WITH_DEVICE, wrongFromDevice)).firstErrorCode())
                .isEqualTo("LOGIN_THROTTLED");
        expect("login_throttled", null, null, name);

        String laptopSession = principalOf(laptop).sessionId();
        TokenPair expired = LambdaHarness.tokens(Duration.ofMinutes(-16)).issue(principalOf(laptop));
        secrets.addAll(List.of(expired.accessToken(), expired.refreshToken()));
        TokenPair generation1 = refreshed(send("refresh with an expired access token", Event.load("logged-in-user.json")
                .header("x-access-token", expired.accessToken()).header("x-refresh-token", expired.refreshToken())));
        expect("session_refreshed", userId, laptopSession, null);
        // The token just replaced, a moment later (a concurrent request of the same client): no event.
        assertThat(refreshed(send("the replaced token within the grace window", Event.load("logged-in-user.json")
                .header("x-refresh-token", expired.refreshToken())))).isEqualTo(generation1);
        assertThat(send("loggedInUser", Event.load("logged-in-user.json").header("x-access-token", generation1.accessToken()))
                .data("loggedInUser").path("id").stringValue()).isEqualTo(userId);
        refreshed(send("refresh", Event.load("logged-in-user.json").header("x-refresh-token", generation1.refreshToken())));
        expect("session_refreshed", userId, laptopSession, null);
        // Generation 0, two generations old: a replay, whatever the grace window.
        LambdaResponse replay = send("replay of generation 0", Event.load("logged-in-user.json")
                .header("x-refresh-token", laptop.refreshToken()));
        assertThat(replay.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        expect("refresh_reuse_detected", userId, laptopSession, null);

        TokenPair phone = login("login again", name, PASSWORD);
        expect("login_succeeded", userId, principalOf(phone).sessionId(), null);
        assertThat(send("logout", Event.load("logout.json").header("x-access-token", phone.accessToken()))
                .data("logout").booleanValue()).isTrue();
        expect("logged_out", userId, principalOf(phone).sessionId(), null);

        TokenPair tablet = login("login before the change", name, PASSWORD);
        expect("login_succeeded", userId, principalOf(tablet).sessionId(), null);
        assertThat(changePassword("change with a wrong password", tablet, "not the password").firstErrorCode())
                .isEqualTo("INVALID_CREDENTIALS");
        expect("login_failed", userId, principalOf(tablet).sessionId(), name);
        TokenPair changed = tokens(changePassword("change password", tablet, PASSWORD).data("changePassword"));
        secrets.add(lambda.users().findByUsername(name).orElseThrow().passwordHash());
        expect("password_changed", userId, principalOf(changed).sessionId(), null);
        assertThat(send("logout everywhere", graphql("mutation { logoutEverywhere }", Map.of())
                .header("x-access-token", changed.accessToken())).data("logoutEverywhere").booleanValue()).isTrue();
        expect("logged_out_everywhere", userId, principalOf(changed).sessionId(), null);

        TokenPair desktop = login("login on the desktop", name, NEW_PASSWORD);
        expect("login_succeeded", userId, principalOf(desktop).sessionId(), null);
        TokenPair lost = login("login on a lost device", name, NEW_PASSWORD);
        expect("login_succeeded", userId, principalOf(lost).sessionId(), null);
        JsonNode sessions = send("sessions", graphql("{ sessions { id current } }", Map.of())
                .header("x-access-token", desktop.accessToken())).data("sessions");
        List<String> others = new ArrayList<>();
        sessions.forEach(session -> {
            if (!session.path("current").booleanValue()) {
                others.add(session.path("id").stringValue());
            }
        });
        assertThat(others).containsExactly(principalOf(lost).sessionId());
        assertThat(send("revoke the lost device", graphql("mutation($id: ID!) { revokeSession(id: $id) }",
                Map.of("id", others.get(0))).header("x-access-token", desktop.accessToken()))
                .data("revokeSession").booleanValue()).isTrue();
        expect("session_revoked", userId, principalOf(lost).sessionId(), null);

        assertThat(send("delete the account", graphql("mutation($p: String!) { deleteAccount(password: $p) }",
                Map.of("p", NEW_PASSWORD)).header("x-access-token", desktop.accessToken()))
                .data("deleteAccount").booleanValue()).isTrue();
        expect("account_deleted", userId, principalOf(desktop).sessionId(), null);
    }

    /**
     * Sends an event under ids of its own and from a sender of its own (an address and a user
     * agent no other request of the scenario uses), so each line can be traced to its request.
     */
    private LambdaResponse send(String step, Event event) {
        int n = sent.size() + 1;
        last = new Sent(step, "events-" + run + "-" + n, UUID.randomUUID().toString(),
                "2001:db8:" + run.substring(0, 4) + "::" + Integer.toHexString(n),
                "SecurityEventsIT/" + n + " (" + step + ")");
        sent.put(last.requestId(), last);
        LambdaResponse response = lambda.invoke(event.requestId(last.requestId()).sourceIp(last.sourceIp())
                .header("User-Agent", last.userAgent()), last.awsRequestId());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    /** The next expected event: recorded by the request sent last. */
    private void expect(String event, String userId, String sessionId, String attempted) {
        expected.add(new Expected(last, event, userId, sessionId, attempted));
    }

    private TokenPair login(String step, String name, String password) {
        LambdaResponse response = send(step, Event.load("login.json").variables(credentials(name, password)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return tokens(response.data("login"));
    }

    private LambdaResponse changePassword(String step, TokenPair pair, String oldPassword) {
        return send(step, graphql("mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) "
                + "{ accessToken refreshToken } }", Map.of("o", oldPassword, "n", NEW_PASSWORD))
                .header("x-access-token", pair.accessToken()));
    }

    private TokenPair refreshed(LambdaResponse response) {
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        var pair = new TokenPair(response.header("x-access-token"), response.header("x-refresh-token"));
        secrets.addAll(List.of(pair.accessToken(), pair.refreshToken()));
        return pair;
    }

    private TokenPair tokens(JsonNode node) {
        var pair = new TokenPair(node.path("accessToken").stringValue(), node.path("refreshToken").stringValue());
        secrets.addAll(List.of(pair.accessToken(), pair.refreshToken()));
        return pair;
    }

    private static Event graphql(String query, Map<String, Object> variables) {
        return Event.load("logout.json").body(Event.JSON.writeValueAsString(Map.of("query", query, "variables", variables)));
    }

    /** A string field of a line, or null when the line has none. */
    private static String field(JsonNode line, String name) {
        JsonNode value = line.get(name);
        if (value == null) {
            return null;
        }
        assertThat(value.isString()).as("%s in %s", name, line).isTrue();
        return value.stringValue();
    }
}
