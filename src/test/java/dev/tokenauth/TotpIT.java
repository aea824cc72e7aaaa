package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.Totp;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The second factor through the real FunctionInvoker against the real DynamoDB server: setup,
 * login's MFA_REQUIRED and verifyMfa, replays (also two at once), recovery codes, the step-up, and
 * the mfa token refused everywhere else. Codes are computed from the secret for the next time step
 * the server will take: the stored last accepted step says which.
 */
class TotpIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String LOGIN = "mutation($username: String!, $password: String!, $deviceToken: String) { "
            + "login(username: $username, password: $password, deviceToken: $deviceToken) "
            + "{ accessToken refreshToken deviceToken } }";
    private static final String VERIFY = "mutation($t: String!, $c: String!) { verifyMfa(mfaToken: $t, code: $c) "
            + "{ accessToken refreshToken deviceToken } }";

    private final LambdaHarness lambda = LambdaHarness.get();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void enableConfirmLogOutLogInAndVerifyGiveAPairAndTheCodeIsRefusedTheSecondTime() {
        String name = uniqueName();
        Account ada = withFactor(name);
        assertThat(ada.setup.path("otpauthUri").stringValue())
                .startsWith("otpauth://totp/" + LambdaHarness.ISSUER + ":" + name + "?secret=" + ada.setup.path("secret").stringValue());
        assertThat(ada.recoveryCodes).hasSize(10);
        assertThat(call("mutation { logout }", Map.of(), ada.tokens.accessToken()).data("logout").booleanValue()).isTrue();

        LambdaResponse login = login(name, null);
        assertThat(login.data("login").isNull()).isTrue();
        assertThat(login.firstErrorCode()).isEqualTo("MFA_REQUIRED");
        String mfaToken = mfaToken(login);
        String code = nextCode(name, ada.secret);
        LambdaResponse verified = call(VERIFY, Map.of("t", mfaToken, "c", code), null);
        JsonNode pair = verified.data("verifyMfa");
        assertThat(pair.path("deviceToken").stringValue()).isNotBlank();
        assertThat(call("{ loggedInUser { mfaEnabled } }", Map.of(), pair.path("accessToken").stringValue())
                .data("loggedInUser").path("mfaEnabled").booleanValue()).isTrue();

        LambdaResponse replay = call(VERIFY, Map.of("t", mfaToken(login(name, null)), "c", code), null);
        assertThat(replay.firstErrorCode()).isEqualTo("INVALID_MFA_CODE");
        assertThat(replay.data("verifyMfa").isNull()).isTrue();
    }

    @Test
    void oneCodeSentTwiceAtOnceGivesOnePair() throws Exception {
        String name = uniqueName();
        Account ada = withFactor(name);
        String first = mfaToken(login(name, null));
        String second = mfaToken(login(name, null));
        String code = nextCode(name, ada.secret);
        var start = new CountDownLatch(1);
        var answers = new ArrayList<Future<LambdaResponse>>();
        for (String token : List.of(first, second)) {
            answers.add(pool.submit(() -> {
                start.await();
                return call(VERIFY, Map.of("t", token, "c", code), null);
            }));
        }
        start.countDown();
        var codes = new ArrayList<String>();
        int pairs = 0;
        for (var answer : answers) {
            LambdaResponse response = answer.get();
            if (response.data("verifyMfa").isNull()) {
                codes.add(response.firstErrorCode());
            } else {
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(1);
        assertThat(codes).containsExactly("INVALID_MFA_CODE");
    }

    @Test
    void aRecoveryCodeWorksOnceOnly() {
        String name = uniqueName();
        Account ada = withFactor(name);
        String recovery = ada.recoveryCodes.get(0);
        assertThat(call(VERIFY, Map.of("t", mfaToken(login(name, null)), "c", recovery), null)
                .data("verifyMfa").path("accessToken").stringValue()).isNotBlank();
        assertThat(call(VERIFY, Map.of("t", mfaToken(login(name, null)), "c", recovery), null).firstErrorCode())
                .isEqualTo("INVALID_MFA_CODE");
    }

    @Test
    void changePasswordAsksForACurrentCode() {
        String name = uniqueName();
        Account ada = withFactor(name);
        String change = "mutation($o: String!, $n: String!, $c: String) { "
                + "changePassword(oldPassword: $o, newPassword: $n, code: $c) { accessToken } }";
        LambdaResponse without = call(change, Map.of("o", PASSWORD, "n", PASSWORD + "!"), ada.tokens.accessToken());
        assertThat(without.firstErrorCode()).isEqualTo("MFA_REQUIRED");
        LambdaResponse with = call(change, Map.of("o", PASSWORD, "n", PASSWORD + "!", "c", nextCode(name, ada.secret)),
                ada.tokens.accessToken());
        assertThat(with.data("changePassword").path("accessToken").stringValue()).isNotBlank();
        assertThat(login(name, PASSWORD + "!", null).firstErrorCode()).as("the factor stays on").isEqualTo("MFA_REQUIRED");
    }

    @Test
    void setEmailAndDeleteAccountAskForACurrentCode() {
        String name = uniqueName();
        Account ada = withFactor(name);
        String setEmail = "mutation($e: String!, $p: String!, $c: String) { setEmail(email: $e, password: $p, code: $c) }";
        assertThat(call(setEmail, Map.of("e", name + "@example.org", "p", PASSWORD), ada.tokens.accessToken())
                .firstErrorCode()).isEqualTo("MFA_REQUIRED");
        String delete = "mutation($p: String!, $c: String) { deleteAccount(password: $p, code: $c) }";
        assertThat(call(delete, Map.of("p", PASSWORD), ada.tokens.accessToken()).firstErrorCode())
                .isEqualTo("MFA_REQUIRED");
        assertThat(call(delete, Map.of("p", PASSWORD, "c", "000000".equals(nextCode(name, ada.secret)) ? "111111" : "000000"),
                ada.tokens.accessToken()).firstErrorCode()).isEqualTo("INVALID_MFA_CODE");
        assertThat(call(delete, Map.of("p", PASSWORD, "c", nextCode(name, ada.secret)), ada.tokens.accessToken())
                .data("deleteAccount").booleanValue()).isTrue();
        assertThat(lambda.users().findByUsername(name)).isEmpty();
    }

    @Test
    void anMfaTokenIsRefusedEverywhereElse() {
        String name = uniqueName();
        Account ada = withFactor(name);
        String mfaToken = mfaToken(login(name, null));
        assertThat(call("{ loggedInUser { id } }", Map.of(), mfaToken).firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        LambdaResponse asRefresh = lambda.invoke(Event.load("logged-in-user.json").header("x-refresh-token", mfaToken));
        assertThat(asRefresh.header("x-access-token")).isNull();
        assertThat(login(name, mfaToken).firstErrorCode()).as("not a device token: the name's budget, the same answer")
                .isEqualTo("MFA_REQUIRED");
        assertThat(call(VERIFY, Map.of("t", ada.tokens.accessToken(), "c", nextCode(name, ada.secret)), null)
                .firstErrorCode()).as("an access token is no mfa token").isEqualTo("INVALID_MFA_CODE");
        assertThat(call(VERIFY, Map.of("t", ada.tokens.refreshToken(), "c", nextCode(name, ada.secret)), null)
                .firstErrorCode()).as("a refresh token is no mfa token").isEqualTo("INVALID_MFA_CODE");
    }

    private record Account(TokenPair tokens, JsonNode setup, byte[] secret, List<String> recoveryCodes) {
    }

    /** A new user with the factor on, and the tokens of its registration's session. */
    private Account withFactor(String name) {
        LambdaResponse registered = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", PASSWORD)));
        JsonNode tokens = registered.data("register");
        var pair = new TokenPair(tokens.path("accessToken").stringValue(), tokens.path("refreshToken").stringValue());
        JsonNode setup = call("mutation($p: String!) { enableTotp(password: $p) { secret otpauthUri } }",
                Map.of("p", PASSWORD), pair.accessToken()).data("enableTotp");
        byte[] secret = Totp.fromBase32(setup.path("secret").stringValue());
        JsonNode codes = call("mutation($c: String!) { confirmTotp(code: $c) }", Map.of("c", nextCode(name, secret)),
                pair.accessToken()).data("confirmTotp");
        var recovery = new ArrayList<String>();
        codes.forEach(code -> recovery.add(code.stringValue()));
        return new Account(pair, setup, secret, recovery);
    }

    /**
     * The code of the earliest step the server accepts next: after the stored last accepted one,
     * and no earlier than now. When that is beyond the next step, the next step has to come first.
     */
    private String nextCode(String name, byte[] secret) {
        User user = lambda.users().findByUsername(name).orElseThrow();
        long last = user.totp() == null || !user.totp().enabled() ? Long.MIN_VALUE : user.totp().lastStep();
        while (true) {
            long now = Totp.step(Instant.now());
            long step = Math.max(last + 1, now);
            if (step <= now + 1) {
                return Totp.code(secret, step);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private LambdaResponse login(String name, String deviceToken) {
        return login(name, PASSWORD, deviceToken);
    }

    private LambdaResponse login(String name, String password, String deviceToken) {
        var variables = new java.util.HashMap<String, Object>(Map.of("username", name, "password", password));
        variables.put("deviceToken", deviceToken);
        return call(LOGIN, variables, null);
    }

    private static String mfaToken(LambdaResponse login) {
        return login.json().path("errors").path(0).path("extensions").path("mfaToken").stringValue();
    }

    private LambdaResponse call(String query, Map<String, Object> variables, String accessToken) {
        Event event = Event.load("logged-in-user.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", query, "variables", variables)));
        if (accessToken != null) {
            event.header("x-access-token", accessToken);
        }
        return lambda.invoke(event);
    }
}
