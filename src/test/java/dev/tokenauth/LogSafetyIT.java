package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;

/** Nothing a full session goes through may leave a token, a password or a key in the logs. */
class LogSafetyIT {

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void aFullScenarioLogsNoTokenNoPasswordAndNoSecret() {
        String name = uniqueName();
        String password = "log-probe-" + name + "-passphrase";
        List<String> secrets = new ArrayList<>(List.of(password, LambdaHarness.ACCESS_SECRET, LambdaHarness.REFRESH_SECRET));

        String captured = capture(() -> {
            var registered = lambda.invoke(Event.load("register.json").variables(credentials(name, password)));
            secrets.add(registered.data("register").path("accessToken").stringValue());
            secrets.add(registered.data("register").path("refreshToken").stringValue());

            var login = lambda.invoke(Event.load("login.json").variables(credentials(name, password)));
            String access = login.data("login").path("accessToken").stringValue();
            String refresh = login.data("login").path("refreshToken").stringValue();
            secrets.add(access);
            secrets.add(refresh);
            lambda.invoke(Event.load("login.json").variables(credentials(name, password + "-wrong")));
            lambda.invoke(Event.load("logged-in-user.json").header("x-access-token", access));

            TokenPair expired = LambdaHarness.tokens(Duration.ofMinutes(-30))
                    .issue(GraphqlFunctionIT.principalOf(new TokenPair(access, refresh)));
            secrets.add(expired.accessToken());
            secrets.add(expired.refreshToken());
            var refreshed = lambda.invoke(Event.load("logged-in-user.json")
                    .header("x-access-token", expired.accessToken())
                    .header("x-refresh-token", expired.refreshToken()));
            secrets.add(refreshed.header("x-access-token"));
            secrets.add(refreshed.header("x-refresh-token"));

            lambda.invoke(Event.load("logout.json").header("x-access-token", refreshed.header("x-access-token")));
            lambda.invoke(Event.load("logged-in-user.json").header("x-refresh-token", refresh));
            lambda.invoke(Event.load("bad-request.json").header("x-access-token", access));

            String newPassword = password + "-changed";
            secrets.add(newPassword);
            var relogin = lambda.invoke(Event.load("login.json").variables(credentials(name, password)));
            String reloginAccess = relogin.data("login").path("accessToken").stringValue();
            secrets.add(reloginAccess);
            secrets.add(relogin.data("login").path("refreshToken").stringValue());
            var changed = lambda.invoke(Event.load("logout.json")
                    .body(Event.JSON.writeValueAsString(java.util.Map.of(
                            "query", "mutation($o: String!, $n: String!) { changePassword(oldPassword: $o, "
                                    + "newPassword: $n) { accessToken refreshToken } }",
                            "variables", java.util.Map.of("o", password, "n", newPassword))))
                    .header("x-access-token", reloginAccess));
            String changedAccess = changed.data("changePassword").path("accessToken").stringValue();
            secrets.add(changedAccess);
            secrets.add(changed.data("changePassword").path("refreshToken").stringValue());
            lambda.invoke(Event.load("logout.json").body("{\"query\":\"mutation { logoutEverywhere }\"}")
                    .header("x-access-token", changedAccess));
        });

        assertThat(secrets).doesNotContainNull().allSatisfy(secret -> assertThat(secret).isNotBlank());
        for (String secret : secrets) {
            assertThat(captured).doesNotContain(secret);
        }
        // Signatures alone would be enough to replay a token: check them too.
        for (String secret : secrets) {
            if (secret.chars().filter(c -> c == '.').count() == 2) {
                assertThat(captured).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
            }
        }
    }

    /** Everything logged through Logback, and everything printed to stdout and stderr, while it runs. */
    private static String capture(Runnable scenario) {
        try (var logs = LogCapture.start()) {
            scenario.run();
            return logs.stop();
        }
    }
}
