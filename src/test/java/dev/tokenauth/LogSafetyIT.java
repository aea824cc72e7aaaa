package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        root.addAppender(appender);
        PrintStream out = System.out;
        PrintStream err = System.err;
        var printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(tee(out, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(err, printed), true, StandardCharsets.UTF_8));
        try {
            scenario.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.detachAppender(appender);
        }
        var text = new StringBuilder(printed.toString(StandardCharsets.UTF_8));
        for (ILoggingEvent event : appender.list) {
            text.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                text.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        return text.toString();
    }

    private static OutputStream tee(OutputStream first, ByteArrayOutputStream second) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (second) {
                    second.write(b);
                }
                try {
                    first.write(b);
                } catch (java.io.IOException ignored) {
                    // the console is best effort
                }
            }
        };
    }
}
