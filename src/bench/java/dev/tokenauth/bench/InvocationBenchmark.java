package dev.tokenauth.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.Context;
import dev.tokenauth.LambdaApplication;
import dev.tokenauth.TestLambdaContext;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.local.DynaliteProcess;
import dev.tokenauth.local.UsersTable;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenSettings;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One warm invocation through the deployed entry, {@code FunctionInvoker.handleRequest}, on event
 * bytes, against dynalite: the time and the allocation (run with {@code -prof gc}) of each path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class InvocationBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ISSUER = "token-auth-graphql-bench";

    private DynaliteProcess dynalite;
    private DynamoDbClient dynamo;
    private FunctionInvoker invoker;
    private byte[] typename;
    private byte[] loggedInUser;
    private byte[] refresh;
    private byte[] badRequest;
    private String expiredAccessToken;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dynalite = new DynaliteProcess();
        dynamo = UsersTable.client(dynalite.endpoint());
        String table = "bench-users";
        UsersTable.create(dynamo, table);
        String accessSecret = randomSecret();
        String refreshSecret = randomSecret();
        System.setProperty("MAIN_CLASS", LambdaApplication.class.getName());
        System.setProperty(AppConfig.USERS_TABLE, table);
        System.setProperty(AppConfig.DYNAMODB_ENDPOINT, dynalite.endpoint().toString());
        System.setProperty(AppConfig.ACCESS_TOKEN_SECRET, accessSecret);
        System.setProperty(AppConfig.REFRESH_TOKEN_SECRET, refreshSecret);
        System.setProperty(AppConfig.TOKEN_ISSUER, ISSUER);
        // The modules on the class path (the tests' example module) get their tables too.
        for (var module : dev.tokenauth.local.ModuleTables.declared()) {
            String name = "bench-" + module.nameSetting().toLowerCase(java.util.Locale.ROOT);
            dev.tokenauth.local.ModuleTables.create(dynamo, module, name);
            System.setProperty(module.nameSetting(), name);
        }
        invoker = new FunctionInvoker();

        expect(invoke(Files.readAllBytes(Path.of("events", "register.json"))), "\\\"accessToken\\\"");
        User ada = new DynamoUserRepository(dynamo, table).findByUsername("ada").orElseThrow();
        Session session = ada.sessions().values().iterator().next();
        Principal principal = ada.principal(session);
        TokenPair current = tokens(accessSecret, refreshSecret, Duration.ZERO).issue(principal);
        TokenPair anHourAgo = tokens(accessSecret, refreshSecret, Duration.ofHours(-1)).issue(principal);
        expiredAccessToken = anHourAgo.accessToken();

        typename = event("logged-in-user.json", "{\"query\":\"{ __typename }\"}")
                .header("x-access-token", current.accessToken()).bytes();
        loggedInUser = event("logged-in-user.json", null)
                .header("x-access-token", current.accessToken()).bytes();
        refresh = refreshEvent(anHourAgo.refreshToken());
        badRequest = Files.readAllBytes(Path.of("events", "bad-request.json"));

        // Each path must do what it is named for, or the numbers mean nothing.
        expect(typename(), "\\\"__typename\\\":\\\"Query\\\"");
        expect(loggedInUser(), "\\\"username\\\":\\\"ada\\\"");
        expect(refresh(), "x-refresh-token");
        expect(badRequest(), "\"statusCode\":400");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dynamo.close();
        dynalite.close();
    }

    @Benchmark
    public String typename() throws IOException {
        return invoke(typename);
    }

    @Benchmark
    public String loggedInUser() throws IOException {
        return invoke(loggedInUser);
    }

    /**
     * A real rotation each time: refresh tokens are single use, so every call presents the newest
     * one, taken from the previous answer (a replayed one would end the session).
     */
    @Benchmark
    public String refresh() throws IOException {
        String response = invoke(refresh);
        Matcher next = NEXT_REFRESH_TOKEN.matcher(response);
        if (!next.find()) {
            throw new IllegalStateException("the refresh path returned no new refresh token");
        }
        refresh = refreshEvent(next.group(1));
        return response;
    }

    private byte[] refreshEvent(String refreshToken) throws IOException {
        return event("logged-in-user.json", null)
                .header("x-access-token", expiredAccessToken)
                .header("x-refresh-token", refreshToken).bytes();
    }

    @Benchmark
    public String badRequest() throws IOException {
        return invoke(badRequest);
    }

    private String invoke(byte[] event) throws IOException {
        var out = new ByteArrayOutputStream(1024);
        invoker.handleRequest(new ByteArrayInputStream(event), out, CONTEXT);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static final Pattern NEXT_REFRESH_TOKEN = Pattern.compile("\"x-refresh-token\":\"([^\"]+)\"");

    private static void expect(String response, String fragment) {
        if (!response.contains(fragment)) {
            throw new IllegalStateException("Unexpected response (wanted " + fragment + "), status: "
                    + response.replaceAll("(?s).*\"statusCode\":(\\d+).*", "$1"));
        }
    }

    private static TokenService tokens(String accessSecret, String refreshSecret, Duration offset) {
        return new TokenService(new TokenSettings(ISSUER, accessSecret.getBytes(StandardCharsets.UTF_8),
                refreshSecret.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(15), Duration.ofDays(7)),
                Clock.offset(Clock.systemUTC(), offset));
    }

    private static EventBytes event(String file, String body) throws IOException {
        var tree = (ObjectNode) JSON.readTree(Files.readString(Path.of("events", file)));
        if (body != null) {
            tree.put("body", body);
        }
        return new EventBytes(tree);
    }

    private record EventBytes(ObjectNode tree) {
        EventBytes header(String name, String value) {
            ((ObjectNode) tree.get("headers")).put(name, value);
            ((ObjectNode) tree.get("multiValueHeaders")).putArray(name).add(value);
            return this;
        }

        byte[] bytes() {
            return JSON.writeValueAsBytes(tree);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static final Context CONTEXT = new TestLambdaContext("00000000-0000-4000-8000-0000000be7c4");
}
