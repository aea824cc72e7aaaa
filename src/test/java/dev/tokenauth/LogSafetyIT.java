package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.ops.SecurityEventLog;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Nothing a full session goes through may leave a token, a password or a key in the logs. */
class LogSafetyIT {

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void aFullScenarioLogsNoTokenNoPasswordAndNoSecret() {
        String name = uniqueName();
        String password = "log-probe-" + name + "-passphrase";
        List<String> secrets = new ArrayList<>(List.of(password, LambdaHarness.ACCESS_SECRET, LambdaHarness.REFRESH_SECRET));

        var serverError = new LambdaResponse[1];
        var logs = LogCapture.start();
        String captured = capture(logs, () -> {
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
            // Not an API Gateway event: the handler logs a warning, inside the invocation.
            lambda.invokeRaw("\"not an event\"".getBytes(StandardCharsets.UTF_8));
            // A user item the adapter cannot read: a 500, with its error line and its ServerErrors line.
            String broken = uniqueName();
            lambda.dynamo.putItem(request -> request.tableName(lambda.table).item(java.util.Map.of(
                    "username", AttributeValue.fromS(broken), "userId", AttributeValue.fromS("not-a-whole-user"))));
            serverError[0] = lambda.invoke(Event.load("login.json").variables(credentials(broken, password)));
        });
        assertThat(serverError[0].status()).as(serverError[0].body()).isGreaterThanOrEqualTo(500);
        assertThat(logs.output().lines().filter(line -> line.contains("\"message\":\"ServerErrors\"")))
                .singleElement().satisfies(line -> assertThat(line).contains("\"level\":\"ERROR\"",
                        "\"" + SecurityEventLog.AWS_REQUEST_ID + "\":"));

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
        assertEveryLineIsJson(logs.output());
    }

    /**
     * What CloudWatch Logs Insights needs: each line one JSON object with a timestamp, a level, a
     * logger and a message; a line written inside an invocation also names the Lambda request.
     */
    private static void assertEveryLineIsJson(String output) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        boolean sawInvocationLine = false;
        for (String line : lines) {
            JsonNode json;
            try {
                json = Event.JSON.readTree(line);
            } catch (JacksonException e) {
                throw new AssertionError("not a JSON line: " + line);
            }
            assertThat(json.isObject()).as(line).isTrue();
            for (String field : List.of("timestamp", "level", "logger", "message")) {
                assertThat(json.path(field).isString()).as("%s in %s", field, line).isTrue();
            }
            if (json.path("logger").stringValue().equals(GraphqlHttpHandler.class.getName())) {
                assertThat(json.path(SecurityEventLog.AWS_REQUEST_ID).isString()).as(line).isTrue();
                sawInvocationLine = true;
            }
        }
        assertThat(sawInvocationLine).as("a line the handler logged; output:\n%s", output).isTrue();
    }

    /** Everything logged through Logback, and everything printed to stdout and stderr, while it runs. */
    private static String capture(LogCapture logs, Runnable scenario) {
        try (logs) {
            scenario.run();
            return logs.stop();
        }
    }
}
