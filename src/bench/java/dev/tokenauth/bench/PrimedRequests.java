package dev.tokenauth.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenauth.LambdaApplication;
import dev.tokenauth.TestLambdaContext;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.local.DynaliteProcess;
import dev.tokenauth.local.UsersTable;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * What the JIT flags cost per request once the start-up warm-up (the SnapStart priming paths) has
 * run: one JVM, started with the flags under test, then a series of logins (BCrypt cost 10, one
 * read, one write) and {@code loggedInUser} queries through {@code FunctionInvoker}, each timed on
 * its own. Prints one line: the first request, the median of requests 1-5 and of the last 10.
 * src/bench/run flags starts it alternately with each set of flags.
 */
public final class PrimedRequests {

    private static final int REQUESTS = 40;
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\\\\\"accessToken\\\\\":\\\\\"([^\\\\\"]+)");

    public static void main(String[] args) throws Exception {
        String label = args.length > 0 ? args[0] : "run";
        try (var dynalite = new DynaliteProcess(); var client = UsersTable.client(dynalite.endpoint())) {
            UsersTable.create(client, "bench-users");
            System.setProperty("MAIN_CLASS", LambdaApplication.class.getName());
            System.setProperty(AppConfig.USERS_TABLE, "bench-users");
            System.setProperty(AppConfig.DYNAMODB_ENDPOINT, dynalite.endpoint().toString());
            System.setProperty(AppConfig.ACCESS_TOKEN_SECRET, randomSecret());
            System.setProperty(AppConfig.REFRESH_TOKEN_SECRET, randomSecret());
            var invoker = new FunctionInvoker();
            // The warm-up runs on its own thread; it takes well under this on 2 cores.
            Thread.sleep(3000);
            byte[] register = Files.readAllBytes(Path.of("events", "register.json"));
            byte[] login = Files.readAllBytes(Path.of("events", "login.json"));
            invoke(invoker, register);

            long[] logins = new long[REQUESTS];
            String token = null;
            for (int i = 0; i < REQUESTS; i++) {
                long start = System.nanoTime();
                String response = invoke(invoker, login);
                logins[i] = System.nanoTime() - start;
                Matcher m = ACCESS_TOKEN.matcher(response);
                if (!m.find()) {
                    throw new IllegalStateException("login failed: " + response);
                }
                token = m.group(1);
            }
            String loggedInUserEvent = Files.readString(Path.of("events", "logged-in-user.json"))
                    .replace("\"headers\": {", "\"headers\": {\"x-access-token\": \"" + token + "\",");
            byte[] loggedInUser = loggedInUserEvent.getBytes(StandardCharsets.UTF_8);
            long[] queries = new long[REQUESTS];
            for (int i = 0; i < REQUESTS; i++) {
                long start = System.nanoTime();
                String response = invoke(invoker, loggedInUser);
                queries[i] = System.nanoTime() - start;
                if (!response.contains("\\\"username\\\":\\\"ada\\\"")) {
                    throw new IllegalStateException("loggedInUser failed: " + response);
                }
            }
            System.err.printf(Locale.ROOT, "RESULT %s login first=%.1f p50(1-5)=%.1f p50(last10)=%.1f ms;"
                            + " loggedInUser first=%.2f p50(1-5)=%.2f p50(last10)=%.2f ms%n", label,
                    ms(logins[0]), median(logins, 0, 5), median(logins, REQUESTS - 10, REQUESTS),
                    ms(queries[0]), median(queries, 0, 5), median(queries, REQUESTS - 10, REQUESTS));
        }
        System.exit(0);
    }

    private static String invoke(FunctionInvoker invoker, byte[] event) throws IOException {
        var out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event), out, new TestLambdaContext("bench"));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double median(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return ms(part.length % 2 == 1 ? part[part.length / 2] : (part[part.length / 2 - 1] + part[part.length / 2]) / 2);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
