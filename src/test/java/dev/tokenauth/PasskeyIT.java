package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tokenauth.memory.RecordedCeremonies;
import dev.tokenauth.user.PasskeyChallenges.Purpose;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.dynamodb.DynamoPasskeyChallenges;
import dev.tokenauth.user.dynamodb.DynamoPasskeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Passkeys through the real FunctionInvoker against the real DynamoDB server, with ceremonies
 * recorded in Chromium ({@link RecordedCeremonies}). The harness configures the recording's relying
 * party and origin; each recorded response's challenge is put into the table as the options field
 * would have put it (the one seam: the recording cannot answer a challenge made today), for the
 * user the recording was made for, whose id the test gives the account it creates.
 */
class PasskeyIT {

    private static final RecordedCeremonies RECORDED = RecordedCeremonies.load();
    private static final String PASSWORD = "correct horse battery staple";
    private static final String REGISTER = "mutation($c: String!, $l: String) { registerPasskey(credential: $c, label: $l) "
            + "{ id label createdAt lastUsedAt } }";
    private static final String SIGN_IN = "mutation($c: String!) { loginWithPasskey(credential: $c) "
            + "{ accessToken refreshToken deviceToken } }";
    private static final String PASSKEYS = "{ loggedInUser { username passkeys { id label lastUsedAt } } }";

    private final LambdaHarness lambda = LambdaHarness.get();
    private final DynamoPasskeyChallenges challenges = new DynamoPasskeyChallenges(lambda.dynamo, lambda.table);
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private String username;
    private String access;

    @BeforeEach
    void createTheRecordedUser() {
        // The recorded user handle is one user id: each test starts that user afresh under a new name.
        new DynamoPasskeys(lambda.dynamo, lambda.table).deleteAll(RECORDED.userId);
        username = "pk" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        lambda.users().create(new User(RECORDED.userId, username, new PasswordHasher(10).hash(PASSWORD), 0, Map.of(),
                Instant.now(), 0));
        LambdaResponse login = lambda.invoke(Event.load("login.json")
                .variables(Map.of("username", username, "password", PASSWORD)));
        assertThat(login.firstErrorCode()).as(login.body()).isNull();
        access = login.data("login").path("accessToken").stringValue();
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void optionsCarryAFreshChallengeThatTheTableKeepsOnlyAsAHash() {
        assertThat(call("mutation { passkeyRegistrationOptions }", Map.of(), null).firstErrorCode())
                .isEqualTo("UNAUTHENTICATED");

        LambdaResponse registration = call("mutation { passkeyRegistrationOptions }", Map.of(), access);
        JsonNode options = Event.JSON.readTree(registration.data("passkeyRegistrationOptions").stringValue());
        assertThat(options.at("/rp/id").stringValue()).isEqualTo("localhost");
        assertThat(options.at("/user/id").stringValue()).isEqualTo(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(RECORDED.userId.getBytes(StandardCharsets.UTF_8)));
        assertThat(options.at("/user/name").stringValue()).isEqualTo(username);
        assertThat(options.at("/authenticatorSelection/residentKey").stringValue()).isEqualTo("required");

        LambdaResponse login = call("mutation { passkeyLoginOptions }", Map.of(), null);
        JsonNode request = Event.JSON.readTree(login.data("passkeyLoginOptions").stringValue());
        assertThat(request.at("/userVerification").stringValue()).isEqualTo("required");

        String table = lambda.dynamo.scan(scan -> scan.tableName(lambda.table)).items().toString();
        assertThat(table).doesNotContain(options.at("/challenge").stringValue())
                .doesNotContain(request.at("/challenge").stringValue())
                .contains(DynamoPasskeyChallengesKeys.PREFIX);
    }

    @Test
    void aRecordedRegistrationAndAssertionVerifyAndTheAssertionSignsInWithoutAPassword() {
        JsonNode passkey = register(RECORDED.registration, "Laptop").data("registerPasskey");
        assertThat(passkey.path("id").stringValue()).isEqualTo(RECORDED.registration.credentialId());
        assertThat(passkey.path("label").stringValue()).isEqualTo("Laptop");
        assertThat(passkey.path("lastUsedAt").isNull()).isTrue();

        LambdaResponse signedIn = signIn(RECORDED.assertions.get(0), true);
        assertThat(signedIn.firstErrorCode()).as(signedIn.body()).isNull();
        String passkeyAccess = signedIn.data("loginWithPasskey").path("accessToken").stringValue();
        assertThat(signedIn.data("loginWithPasskey").path("deviceToken").stringValue()).isNotBlank();

        // Stored with the session, through refreshes: a second-factor feature can rely on it.
        var sessions = lambda.users().findByUsername(username).orElseThrow().sessions().values();
        assertThat(sessions).filteredOn(session -> session.multiFactor()).hasSize(1);
        assertThat(sessions).hasSize(2);
        JsonNode user = call(PASSKEYS, Map.of(), passkeyAccess).data("loggedInUser");
        assertThat(user.path("username").stringValue()).isEqualTo(username);
        assertThat(user.at("/passkeys/0/id").stringValue()).isEqualTo(RECORDED.registration.credentialId());
        assertThat(user.at("/passkeys/0/lastUsedAt").stringValue()).isNotBlank();
    }

    @Test
    void aReplayedAssertionIsRefusedWhetherItsChallengeIsSpentOrOpenAgain() {
        register(RECORDED.registration, null);
        assertThat(signIn(RECORDED.assertions.get(1), true).firstErrorCode()).isNull();

        LambdaResponse spent = signIn(RECORDED.assertions.get(1), false);
        LambdaResponse reopened = signIn(RECORDED.assertions.get(1), true);
        LambdaResponse olderCounter = signIn(RECORDED.assertions.get(0), true);

        for (LambdaResponse refused : List.of(spent, reopened, olderCounter)) {
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(refused.json().at("/errors/0/message").stringValue())
                    .isEqualTo(spent.json().at("/errors/0/message").stringValue());
        }
    }

    @Test
    void aReusedRegistrationChallengeIsRefused() {
        register(RECORDED.registration, "Laptop");

        LambdaResponse reused = call(REGISTER, Map.of("c", RECORDED.secondRegistrationSameChallenge.credential()), access);

        assertThat(reused.firstErrorCode()).isEqualTo("BAD_USER_INPUT");
        assertThat(call(PASSKEYS, Map.of(), access).data("loggedInUser").path("passkeys").size()).isEqualTo(1);
    }

    @Test
    void ofParallelSignInsWithOneAssertionAndItsChallengeExactlyOneGetsASession() throws Exception {
        register(RECORDED.registration, null);
        var assertion = RECORDED.assertions.get(2);
        challenges.store(assertion.challengeBytes(), Purpose.AUTHENTICATION, null, Instant.now().plus(Duration.ofMinutes(5)));
        var start = new CountDownLatch(1);
        var results = new ArrayList<Future<LambdaResponse>>();
        for (int i = 0; i < 8; i++) {
            // Each from its own address: the source's failure budget is not what stops them.
            String source = "198.51.100." + (i + 1);
            Callable<LambdaResponse> replay = () -> {
                start.await();
                return lambda.invoke(graphql(SIGN_IN, Map.of("c", assertion.credential()), null).sourceIp(source));
            };
            results.add(pool.submit(replay));
        }
        start.countDown();
        int sessions = 0;
        for (Future<LambdaResponse> result : results) {
            LambdaResponse response = result.get();
            if (response.firstErrorCode() == null) {
                sessions++;
            } else {
                assertThat(response.firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
            }
        }
        assertThat(sessions).isEqualTo(1);
    }

    @Test
    void removePasskeyNeedsTheCurrentPasswordAndThenTheAssertionNoLongerSignsIn() {
        register(RECORDED.registration, null);
        String id = RECORDED.registration.credentialId();
        String remove = "mutation($id: ID!, $p: String!) { removePasskey(id: $id, password: $p) }";

        LambdaResponse withoutPassword = call("mutation($id: ID!) { removePasskey(id: $id) }", Map.of("id", id), access);
        assertThat(withoutPassword.firstErrorCode()).as("the contract's form asks for the step-up").isEqualTo("BAD_USER_INPUT");
        assertThat(withoutPassword.status()).isEqualTo(200);
        assertThat(call(remove, Map.of("id", id, "p", "wrong password!"), access).firstErrorCode())
                .isEqualTo("INVALID_CREDENTIALS");
        assertThat(call(remove, Map.of("id", "someone-elses", "p", PASSWORD), access).firstErrorCode())
                .isEqualTo("BAD_USER_INPUT");
        assertThat(call(remove, Map.of("id", id, "p", PASSWORD), access).data("removePasskey").booleanValue()).isTrue();

        assertThat(call(PASSKEYS, Map.of(), access).data("loggedInUser").path("passkeys").size()).isZero();
        assertThat(signIn(RECORDED.assertions.get(0), true).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void deleteAccountRemovesThePasskeys() {
        register(RECORDED.registration, null);

        LambdaResponse deleted = call("mutation($p: String!) { deleteAccount(password: $p) }", Map.of("p", PASSWORD), access);

        assertThat(deleted.data("deleteAccount").booleanValue()).as(deleted.body()).isTrue();
        assertThat(new DynamoPasskeys(lambda.dynamo, lambda.table).find(RECORDED.userId)).isEmpty();
    }

    private LambdaResponse register(RecordedCeremonies.Ceremony registration, String label) {
        challenges.store(registration.challengeBytes(), Purpose.REGISTRATION, RECORDED.userId,
                Instant.now().plus(Duration.ofMinutes(5)));
        var variables = new HashMap<String, Object>();
        variables.put("c", registration.credential());
        variables.put("l", label);
        LambdaResponse response = call(REGISTER, variables, access);
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return response;
    }

    private LambdaResponse signIn(RecordedCeremonies.Ceremony assertion, boolean openChallenge) {
        if (openChallenge) {
            challenges.store(assertion.challengeBytes(), Purpose.AUTHENTICATION, null,
                    Instant.now().plus(Duration.ofMinutes(5)));
        }
        return call(SIGN_IN, Map.of("c", assertion.credential()), null);
    }

    private LambdaResponse call(String query, Map<String, Object> variables, String accessToken) {
        return lambda.invoke(graphql(query, variables, accessToken));
    }

    private static Event graphql(String query, Map<String, Object> variables, String accessToken) {
        var body = new HashMap<String, Object>();
        body.put("query", query);
        body.put("variables", variables);
        Event event = Event.load("login.json").body(Event.JSON.writeValueAsString(body));
        return accessToken == null ? event : event.header("x-access-token", accessToken);
    }

    /** The key prefix of challenge items, as the adapter writes it. */
    private static final class DynamoPasskeyChallengesKeys {
        static final String PREFIX = "webauthn-challenge#";
    }
}
