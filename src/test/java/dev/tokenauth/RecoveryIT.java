package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Verified addresses and password reset through the real FunctionInvoker against the DynamoDB
 * test server, reading the codes from the console outbox's lines on standard output.
 */
class RecoveryIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String NEW_PASSWORD = "a much better passphrase";
    private static final AtomicInteger SOURCES = new AtomicInteger();

    private final LambdaHarness lambda = LambdaHarness.get();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** A source address of its own per call: the throttles count per source, and this suite tests them apart. */
    private static String source() {
        return "198.51.100." + (SOURCES.incrementAndGet() % 250 + 1);
    }

    private static String uniqueName() {
        return "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private LambdaResponse call(String query, Map<String, Object> variables, String accessToken, String refreshToken,
                                String sourceIp) {
        Event event = Event.load("login.json").body(Event.JSON.createObjectNode().put("query", query).toString())
                .variables(variables).sourceIp(sourceIp);
        if (accessToken != null) {
            event.header("x-access-token", accessToken);
        }
        if (refreshToken != null) {
            event.header("x-refresh-token", refreshToken);
        }
        return lambda.invoke(event);
    }

    private LambdaResponse call(String query, Map<String, Object> variables) {
        return call(query, variables, null, null, "2001:db8:5::" + Integer.toHexString(SOURCES.incrementAndGet()));
    }

    /** Runs {@code request} with stdout captured, and returns the outbox lines it printed. */
    private static List<JsonNode> mailsDuring(Runnable request) {
        String output;
        try (LogCapture capture = LogCapture.start()) {
            request.run();
            output = capture.output();
        }
        List<JsonNode> mails = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{\"mail\":")) {
                mails.add(Event.JSON.readTree(line));
            }
        }
        return mails;
    }

    private static String codeIn(JsonNode mail) {
        Matcher matcher = Pattern.compile("\\b(\\d{8})\\b").matcher(mail.path("text").stringValue());
        assertThat(matcher.find()).as("a code in %s", mail.path("mail")).isTrue();
        return matcher.group(1);
    }

    private Map<String, Object> vars(Object... pairs) {
        var map = new HashMap<String, Object>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static final String REGISTER = "mutation($u: String!, $p: String!, $e: String) { register(username: $u, password: $p, email: $e) { accessToken refreshToken } }";
    private static final String LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { accessToken refreshToken deviceToken } }";
    private static final String ME = "{ loggedInUser { email emailVerified } }";
    private static final String VERIFY = "mutation($c: String!) { verifyEmail(code: $c) }";
    private static final String REQUEST = "mutation($e: String!) { requestPasswordReset(email: $e) }";
    private static final String RESET = "mutation($e: String!, $c: String!, $p: String!) { resetPassword(email: $e, code: $c, newPassword: $p) }";

    private JsonNode registerVerified(String name, String address) {
        LambdaResponse[] registered = new LambdaResponse[1];
        List<JsonNode> mails = mailsDuring(() -> registered[0] = call(REGISTER, vars("u", name, "p", PASSWORD, "e", address)));
        assertThat(registered[0].firstErrorCode()).as(registered[0].body()).isNull();
        JsonNode tokens = registered[0].data("register");
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).path("to").stringValue()).isEqualToIgnoringCase(address);
        LambdaResponse verified = call(VERIFY, vars("c", codeIn(mails.get(0))),
                tokens.path("accessToken").stringValue(), tokens.path("refreshToken").stringValue(), source());
        assertThat(verified.data("verifyEmail").isBoolean()).as(verified.body()).isTrue();
        return tokens;
    }

    @Test
    void anAccountIsRecoveredThroughTheMailedCodeAndEverySessionAndDeviceEnds() {
        String name = uniqueName();
        String address = name + "@Example.ORG";
        JsonNode registered = registerVerified(name, address);
        LambdaResponse me = call(ME, Map.of(), registered.path("accessToken").stringValue(), null, source());
        assertThat(me.data("loggedInUser").path("email").stringValue()).isEqualTo(name + "@example.org");
        assertThat(me.data("loggedInUser").path("emailVerified").booleanValue()).isTrue();
        JsonNode login = call(LOGIN, vars("u", name, "p", PASSWORD)).data("login");

        LambdaResponse[] requested = new LambdaResponse[1];
        List<JsonNode> mails = mailsDuring(() -> requested[0] = call(REQUEST, vars("e", name + "@example.org")));
        assertThat(requested[0].data("requestPasswordReset").booleanValue()).as(requested[0].body()).isTrue();
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).path("subject").stringValue()).isEqualTo("Your code to choose a new password");
        LambdaResponse reset = call(RESET, vars("e", address, "c", codeIn(mails.get(0)), "p", NEW_PASSWORD));
        assertThat(reset.data("resetPassword").booleanValue()).as(reset.body()).isTrue();

        // Old sessions dead: the refresh token refreshes nothing, the access token reads nothing live.
        LambdaResponse old = call(ME, Map.of(), null, login.path("refreshToken").stringValue(), source());
        assertThat(old.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(call(ME, Map.of(), login.path("accessToken").stringValue(), null, source()).firstErrorCode())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(lambda.users().findByUsername(name).orElseThrow().devices()).isEmpty();
        assertThat(call(LOGIN, vars("u", name, "p", PASSWORD)).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(call(LOGIN, vars("u", name, "p", NEW_PASSWORD)).data("login").path("accessToken").isString()).isTrue();
    }

    @Test
    void unknownAndUnverifiedAddressesAnswerTheSame() {
        String verified = uniqueName();
        registerVerified(verified, verified + "@example.org");
        String unverified = uniqueName();
        call(REGISTER, vars("u", unverified, "p", PASSWORD, "e", unverified + "@example.org"));

        List<String> answers = new ArrayList<>();
        List<JsonNode> mails = mailsDuring(() -> {
            for (String address : List.of(verified + "@example.org", uniqueName() + "@example.org", unverified + "@example.org")) {
                answers.add(call(REQUEST, vars("e", address)).body());
                answers.add(call(RESET, vars("e", address, "c", "12345678", "p", NEW_PASSWORD)).body());
            }
        });

        assertThat(answers.get(0)).isEqualTo(answers.get(2)).isEqualTo(answers.get(4)).contains("true");
        assertThat(answers.get(1)).isEqualTo(answers.get(3)).isEqualTo(answers.get(5)).contains("INVALID_CODE");
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).path("to").stringValue()).isEqualTo(verified + "@example.org");
    }

    @Test
    void ofConcurrentRegistrationsWithOneAddressExactlyOneGetsIt() throws Exception {
        String address = uniqueName() + "@example.org";
        var ready = new CountDownLatch(1);
        List<Future<LambdaResponse>> results = new ArrayList<>();
        // As many as the address's mail budget lets through to the claim.
        for (int i = 0; i < 5; i++) {
            String name = uniqueName();
            Callable<LambdaResponse> register = () -> {
                ready.await();
                return call(REGISTER, vars("u", name, "p", PASSWORD, "e", address));
            };
            results.add(pool.submit(register));
        }
        ready.countDown();

        List<String> codes = new ArrayList<>();
        for (Future<LambdaResponse> result : results) {
            LambdaResponse response = result.get();
            codes.add(response.firstErrorCode() == null ? "OK" : response.firstErrorCode());
        }
        assertThat(codes).containsOnly("OK", "EMAIL_TAKEN");
        assertThat(codes.stream().filter("OK"::equals).count()).as(codes.toString()).isEqualTo(1);
    }

    @Test
    void ofConcurrentResetsWithOneCodeExactlyOneSucceeds() throws Exception {
        String name = uniqueName();
        String address = name + "@example.org";
        registerVerified(name, address);
        List<JsonNode> mails = mailsDuring(() -> call(REQUEST, vars("e", address)));
        String code = codeIn(mails.get(0));

        var ready = new CountDownLatch(1);
        List<Future<LambdaResponse>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String password = NEW_PASSWORD + " " + i;
            results.add(pool.submit(() -> {
                ready.await();
                return call(RESET, vars("e", address, "c", code, "p", password));
            }));
        }
        ready.countDown();

        List<String> outcomes = new ArrayList<>();
        for (Future<LambdaResponse> result : results) {
            LambdaResponse response = result.get();
            outcomes.add(response.firstErrorCode() == null ? "OK" : response.firstErrorCode());
        }
        assertThat(outcomes).containsOnly("OK", "INVALID_CODE");
        assertThat(outcomes.stream().filter("OK"::equals).count()).as(outcomes.toString()).isEqualTo(1);
    }
}
