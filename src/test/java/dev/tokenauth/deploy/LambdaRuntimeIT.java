package dev.tokenauth.deploy;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.principalOf;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.tokenauth.Event;
import dev.tokenauth.LambdaResponse;
import dev.tokenauth.SecurityLines;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.example.notes.NotesModuleFactory;
import dev.tokenauth.local.DynamoDbTestServer;
import dev.tokenauth.local.ModuleTables;
import dev.tokenauth.local.UsersTable;
import dev.tokenauth.ops.Metrics;
import dev.tokenauth.ops.MetricsTest;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged artifact, run the way Lambda runs it: the zip unpacked as the task root (the
 * working directory), a fresh JVM running the AWS Lambda Runtime Interface Client with the handler
 * string from template.yaml and the environment the template sets, against a Lambda Runtime API
 * served on localhost. Once on demand, once as a SnapStart initialisation (checkpoint and restore
 * hooks).
 */
class LambdaRuntimeIT {

    private static final Path BASE = Path.of(System.getProperty("project.basedir", "."));
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final String PASSWORD = "correct horse battery staple";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void servesTheEventsUnderTheRuntimeInterfaceClient() throws Exception {
        try (var lambda = new LambdaProcess(false, true)) {
            lambda.assertServesTheScenario();
        }
    }

    @Test
    void aModuleJarBesideThePackageIsServedWithItsOwnTable() throws Exception {
        String notesTable = "notes-" + UUID.randomUUID();
        try (var client = UsersTable.client(DynamoDbTestServer.endpoint())) {
            ModuleTables.create(client, NotesModuleFactory.TABLE, notesTable);
        }
        Path jar = ModuleJar.of(NotesModuleFactory.class, "graphql/notes.graphqls");
        try (var lambda = new LambdaProcess(false, true, null,
                Map.of(jar, Map.of(NotesModuleFactory.TABLE.nameSetting(), notesTable)))) {
            LambdaResponse registered = lambda.invoke(Event.load("register.json")
                    .variables(credentials(uniqueName(), PASSWORD)));
            String token = registered.data("register").path("accessToken").stringValue();
            LambdaResponse created = lambda.invoke(Event.load("logged-in-user.json")
                    .body(Event.JSON.writeValueAsString(Map.of("query", "mutation { createNote(text: \"from a jar\") { id } }")))
                    .header("x-access-token", token));
            assertThat(created.firstErrorCode()).as(created.body()).isNull();
            LambdaResponse mine = lambda.invoke(Event.load("logged-in-user.json")
                    .body(Event.JSON.writeValueAsString(Map.of("query", "{ myNotes { text } }")))
                    .header("x-access-token", token));
            assertThat(mine.data("myNotes").get(0).path("text").stringValue()).isEqualTo("from a jar");
        }
    }

    @Test
    void snapStartRunsTheCheckpointAndRestoreHooks() throws Exception {
        try (var lambda = new LambdaProcess(true, true)) {
            lambda.assertServesTheScenario();
            assertThat(lambda.runtimeApi.restoreRequested).isTrue();
            assertThat(lambda.runtimeApi.restoreErrors).isEmpty();
            String output = lambda.output();
            assertThat(output).contains("SnapStart priming done");
            assertThat(output).contains("Restored from a SnapStart snapshot");
            assertThat(output.indexOf("SnapStart priming done"))
                    .isLessThan(output.indexOf("Restored from a SnapStart snapshot"));
            assertThat(output).doesNotContain("======>");
        }
    }

    /**
     * A priming that starts a second Spring context, or leaves an executor's threads running, can
     * hang the restore or run twice the work: the checkpoint must find one context and no
     * non-daemon thread but the runtime's main thread and Spring's own keep-alive thread, which
     * Spring ends after the restore.
     */
    @Test
    void primingStartsNoSecondContextAndLeavesNoThreadRunningAtTheCheckpoint() throws Exception {
        try (var lambda = new LambdaProcess(true, true)) {
            lambda.assertServesTheScenario();
            String output = lambda.output();
            String priming = output.lines().filter(line -> line.contains("SnapStart priming done"))
                    .findFirst().orElseThrow(() -> new AssertionError("no priming line in:\n" + output));
            var state = Pattern.compile("springContexts=(\\d+) nonDaemonThreads=\\[([^\\]]*)]").matcher(priming);
            assertThat(state.find()).as(priming).isTrue();
            assertThat(state.group(1)).isEqualTo("1");
            assertThat(List.of(state.group(2).split(",\\s*"))).isSubsetOf("main", "prevent-shutdown");
            assertThat(priming).contains("start-up warm-up reused");
        }
    }

    /**
     * The ServerErrors metric, end to end: with DynamoDB unreachable every login answers 503, and
     * each such answer writes exactly one Embedded Metric Format line to the function's output; the
     * answers before (none of them 5xx) wrote none.
     */
    @Test
    void eachAnswerOf5xxIsCountedOnceInTheServerErrorsMetric() throws Exception {
        URI closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (var lambda = new LambdaProcess(false, true, closed)) {
            LambdaResponse preflight = lambda.invoke(Event.load("preflight.json"));
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(serverErrorLines(lambda.output())).isEmpty();
            for (int i = 0; i < 3; i++) {
                LambdaResponse login = lambda.invoke(Event.load("login.json").variables(credentials(uniqueName(), PASSWORD)));
                assertThat(login.status()).isEqualTo(503);
            }
            List<JsonNode> counted = serverErrorLines(lambda.output());
            assertThat(counted).hasSize(3);
            for (JsonNode line : counted) {
                JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
                assertThat(directive.path("Namespace").stringValue()).isEqualTo(AppConfig.DEFAULT_METRICS_NAMESPACE);
                assertThat(directive.path("Metrics").get(0).path("Name").stringValue()).isEqualTo(Metrics.SERVER_ERRORS);
                assertThat(line.path(Metrics.SERVER_ERRORS).intValue()).isEqualTo(1);
            }
        }
    }

    private static List<JsonNode> serverErrorLines(String output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.lines().filter(text -> text.startsWith("{")).toList()) {
            JsonNode json = JSON.readTree(line);
            if (json.has("_aws") && json.has(Metrics.SERVER_ERRORS)) {
                lines.add(json);
            }
        }
        return lines;
    }

    @Test
    void refusesToStartWithoutSigningKeysAndSaysWhichAreMissing() throws Exception {
        try (var lambda = new LambdaProcess(false, false)) {
            String reported = lambda.awaitInitError();
            assertThat(reported).contains("ACCESS_TOKEN_SECRET is not set", "REFRESH_TOKEN_SECRET is not set");
        }
    }

    /** A request as sent: its step, API Gateway's and Lambda's request ids, and its sender. */
    private record Traced(String step, String requestId, String awsRequestId, String sourceIp, String userAgent) {
    }

    /** One Lambda execution environment: task root, runtime API, runtime client JVM. */
    static final class LambdaProcess implements AutoCloseable {

        final RuntimeApiServer runtimeApi = new RuntimeApiServer();
        private final Path taskRoot = Files.createTempDirectory("lambda-task-");
        private final Path log = Files.createTempFile("lambda-runtime-", ".log");
        private final List<String> secrets = new ArrayList<>();
        /** The requests whose security events are checked, by API Gateway request id. */
        private final Map<String, Traced> traced = new LinkedHashMap<>();
        private final Process process;
        /** The environment's users table. */
        final String table;

        LambdaProcess(boolean snapStart, boolean withKeys) throws IOException {
            this(snapStart, withKeys, null);
        }

        LambdaProcess(boolean snapStart, boolean withKeys, URI dynamoOverride) throws IOException {
            this(snapStart, withKeys, dynamoOverride, Map.of());
        }

        /**
         * @param dynamoOverride a DynamoDB endpoint in place of the test server's, or null
         * @param moduleJars module jars to put beside the package's own (in lib/, as a layer's
         *                   would be on the class path), with the settings they need
         */
        LambdaProcess(boolean snapStart, boolean withKeys, URI dynamoOverride, Map<Path, Map<String, String>> moduleJars)
                throws IOException {
            this(snapStart, withKeys, dynamoOverride, moduleJars, List.of());
        }

        /** @param jvmOptions added to the template's JAVA_TOOL_OPTIONS (a class-load log) */
        LambdaProcess(boolean snapStart, boolean withKeys, URI dynamoOverride, Map<Path, Map<String, String>> moduleJars,
                      List<String> jvmOptions) throws IOException {
            SamTemplate template = SamTemplate.load();
            unzip(lambdaZip(template), taskRoot);
            for (Path jar : moduleJars.keySet()) {
                Files.copy(jar, taskRoot.resolve("lib").resolve(jar.getFileName()));
            }
            String handler = (String) template.properties("GraphqlFunction").get("Handler");
            URI dynamo = DynamoDbTestServer.endpoint();
            table = "users-" + UUID.randomUUID();
            try (var client = UsersTable.client(dynamo)) {
                UsersTable.create(client, table);
            }

            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", System.getenv("PATH"));
            env.putAll(templateEnvironment(template, table));
            // As with `sam local`: the plain secrets win over the Secrets Manager ARNs.
            env.remove("ACCESS_TOKEN_SECRET_ARN");
            env.remove("REFRESH_TOKEN_SECRET_ARN");
            env.remove("MFA_SECRET_ARN");
            if (withKeys) {
                env.put("ACCESS_TOKEN_SECRET", secret());
                env.put("REFRESH_TOKEN_SECRET", secret());
            }
            env.put("DYNAMODB_ENDPOINT", (dynamoOverride != null ? dynamoOverride : dynamo).toString());
            moduleJars.values().forEach(env::putAll);
            for (String option : jvmOptions) {
                env.merge("JAVA_TOOL_OPTIONS", option, (options, extra) -> options + " " + extra);
            }
            env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_LAMBDA_FUNCTION_NAME", "token-auth-graphql");
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/token-auth-graphql");
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "test");
            env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
            env.put("_HANDLER", handler);
            env.put("TZ", ":UTC");
            if (snapStart) {
                env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
                // The managed runtime hands org.crac resources to the runtime client's CRaC
                // context; this JDK has no CRaC of its own, so point org.crac at that context.
                env.merge("JAVA_TOOL_OPTIONS", "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
                        (options, extra) -> options + " " + extra);
            }

            var command = List.of(javaExecutable(), "-cp", runtimeClientClassPath(),
                    "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler);
            var builder = new ProcessBuilder(command)
                    .directory(taskRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(env);
            process = builder.start();
        }

        void assertServesTheScenario() throws Exception {
            String name = uniqueName();
            LambdaResponse registered = invoke(traced("register", Event.load("register.json")
                    .variables(credentials(name, PASSWORD))));
            assertThat(registered.status()).isEqualTo(200);
            assertThat(registered.firstErrorCode()).isNull();
            Principal account = principalOf(new TokenPair(registered.data("register").path("accessToken").stringValue(),
                    registered.data("register").path("refreshToken").stringValue()));

            LambdaResponse login = invoke(traced("login", Event.load("login.json").variables(credentials(name, PASSWORD))));
            String accessToken = login.data("login").path("accessToken").stringValue();
            assertThat(accessToken).isNotBlank();
            secrets.add(accessToken);
            secrets.add(login.data("login").path("refreshToken").stringValue());
            String loginSession = principalOf(new TokenPair(accessToken, login.data("login").path("refreshToken").stringValue()))
                    .sessionId();

            LambdaResponse me = invoke(traced("loggedInUser", Event.load("logged-in-user.json")
                    .header("x-access-token", accessToken)));
            assertThat(me.data("loggedInUser").path("username").stringValue()).isEqualTo(name);

            LambdaResponse anonymous = invoke(Event.load("logged-in-user.json"));
            assertThat(anonymous.firstErrorCode()).isEqualTo("UNAUTHENTICATED");

            LambdaResponse preflight = invoke(Event.load("preflight.json"));
            assertThat(preflight.status()).isEqualTo(204);
            assertThat(preflight.header("Access-Control-Expose-Headers")).isEqualTo("x-access-token,x-refresh-token,dpop-nonce,www-authenticate,date");

            LambdaResponse bad = invoke(Event.load("bad-request.json"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.firstErrorCode()).isEqualTo("BAD_REQUEST");

            LambdaResponse viaGet = invoke(Event.load("logged-in-user-get.json").header("x-access-token", accessToken));
            assertThat(viaGet.data("loggedInUser").path("username").stringValue()).isEqualTo(name);

            LambdaResponse logout = invoke(traced("logout", Event.load("logout.json").header("x-access-token", accessToken)));
            assertThat(logout.data("logout").booleanValue()).isTrue();

            String output = output();
            for (String secret : secrets) {
                assertThat(output).doesNotContain(secret);
            }
            assertThat(output).doesNotContain(PASSWORD);
            assertSecurityEvents(output, account, loginSession);
        }

        /**
         * The security events of the traced requests, once each, as JSON lines of the function's
         * output that name the request, the invocation and the sender; loggedInUser records none.
         */
        private void assertSecurityEvents(String output, Principal account, String loginSession) {
            List<JsonNode> events = SecurityLines.in(output).stream()
                    .filter(line -> traced.containsKey(line.path("requestId").stringValue()))
                    .toList();
            assertThat(events.stream().map(line -> traced.get(line.get("requestId").stringValue()).step() + ": "
                    + line.path("event").stringValue()).toList())
                    .as(output)
                    .containsExactly("register: user_registered", "login: login_succeeded", "logout: logged_out");
            List<String> sessions = List.of(account.sessionId(), loginSession, loginSession);
            for (int i = 0; i < events.size(); i++) {
                JsonNode line = events.get(i);
                Traced sent = traced.get(line.get("requestId").stringValue());
                assertThat(line.path("awsRequestId").stringValue()).as(line.toString()).isEqualTo(sent.awsRequestId());
                assertThat(line.path("sourceIp").stringValue()).as(line.toString()).isEqualTo(sent.sourceIp());
                assertThat(line.path("userAgent").stringValue()).as(line.toString()).isEqualTo(sent.userAgent());
                assertThat(line.path("userId").stringValue()).as(line.toString()).isEqualTo(account.userId());
                assertThat(line.path("sessionId").stringValue()).as(line.toString()).isEqualTo(sessions.get(i));
                assertThat(line.has("usernameHash")).as(line.toString()).isFalse();
                assertThat(line.path("level").stringValue()).isEqualTo("INFO");
                assertThat(line.has("timestamp")).isTrue();
            }
            MetricsTest.assertValidEmf(events.get(1), AppConfig.DEFAULT_METRICS_NAMESPACE, Metrics.LOGIN_SUCCEEDED);
            assertThat(events.get(0).has("_aws")).isFalse();
            assertThat(events.get(2).has("_aws")).isFalse();
        }

        /** Gives an event ids and a sender of its own, remembered for {@link #assertSecurityEvents}. */
        private Event traced(String step, Event event) {
            int n = traced.size() + 1;
            var sent = new Traced(step, "runtime-" + UUID.randomUUID(), UUID.randomUUID().toString(),
                    "2001:db8:1a::" + n, "LambdaRuntimeIT/" + n + " (" + step + ")");
            traced.put(sent.requestId(), sent);
            return event.requestId(sent.requestId()).sourceIp(sent.sourceIp()).header("User-Agent", sent.userAgent());
        }

        LambdaResponse invoke(Event event) throws Exception {
            if (!process.isAlive()) {
                throw new AssertionError("the runtime client exited with " + process.exitValue() + ":\n" + output());
            }
            JsonNode requestId = Event.JSON.readTree(event.bytes()).path("requestContext").path("requestId");
            Traced sent = requestId.isString() ? traced.get(requestId.stringValue()) : null;
            String awsRequestId = sent != null ? sent.awsRequestId() : UUID.randomUUID().toString();
            RuntimeApiServer.Outcome outcome;
            try {
                outcome = runtimeApi.invoke(awsRequestId, event.bytes(), ANSWER_TIMEOUT, process::isAlive);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nruntime client output:\n" + output(), e);
            }
            assertThat(outcome.error()).as("function error: %s\n%s", outcome.body(), output()).isFalse();
            assertThat(runtimeApi.initErrors).isEmpty();
            return LambdaResponse.parse(outcome.body());
        }

        /** What the runtime client reported to /runtime/init/error, once it has. */
        String awaitInitError() throws Exception {
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (runtimeApi.initErrors.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(runtimeApi.initErrors).as("init errors; output:\n%s", output()).isNotEmpty();
            return String.join("\n", runtimeApi.initErrors);
        }

        String output() throws IOException {
            return Files.readString(log);
        }

        private String secret() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            String secret = HexFormat.of().formatHex(bytes);
            secrets.add(secret);
            return secret;
        }

        @Override
        public void close() throws IOException {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runtimeApi.close();
            try (Stream<Path> files = Files.walk(taskRoot)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            Files.deleteIfExists(log);
        }
    }

    /**
     * The variables template.yaml gives the function. Literal values are used as they are;
     * references to parameters take the parameter's default (or, for one that every stack must
     * set, a value of the test's), the table is the test's own.
     */
    static Map<String, String> templateEnvironment(SamTemplate template, String table) {
        Map<String, String> required = Map.of("MailFrom", "no-reply@example.com");
        Map<String, Object> parameters = SamTemplate.map(template.root, "Parameters");
        Map<String, String> env = new LinkedHashMap<>();
        template.functionEnvironment("GraphqlFunction").forEach((name, value) -> {
            if (value instanceof Map<?, ?> reference && reference.get("Ref") instanceof String ref) {
                if (parameters.get(ref) instanceof Map<?, ?> parameter) {
                    env.put(name, parameter.containsKey("Default") ? String.valueOf(parameter.get("Default"))
                            : required.get(ref));
                } else if (ref.equals("UsersTable")) {
                    env.put(name, table);
                } else {
                    env.put(name, "resolved-by-cloudformation:" + ref);
                }
            } else {
                env.put(name, String.valueOf(value));
            }
        });
        return env;
    }

    /** The package the template deploys (its CodeUri), which {@code ./mvnw package} writes. */
    private static Path lambdaZip(SamTemplate template) {
        Path zip = BASE.resolve((String) template.properties("GraphqlFunction").get("CodeUri"));
        if (!Files.isRegularFile(zip)) {
            throw new AssertionError(zip + " is missing: run ./mvnw verify, whose package phase builds it");
        }
        return zip;
    }

    static void unzip(Path zip, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(zip); var entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path destination = target.resolve(entry.getName()).normalize();
                if (!destination.startsWith(target)) {
                    throw new IOException("zip entry outside the task root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.copy(entries, destination);
                }
            }
        }
    }

    /** The runtime client and the libraries it needs, as Lambda's own class path gives them. */
    static String runtimeClientClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.startsWith("aws-lambda-java-runtime-interface-client") || file.startsWith("aws-lambda-java-core")
                    || file.startsWith("aws-lambda-java-serialization") || file.startsWith("utils-lite")) {
                entries.add(entry);
            }
        }
        assertThat(entries).as("runtime client jars on the test class path").hasSize(4);
        return String.join(File.pathSeparator, entries);
    }

    /** Lambda runs java25: use a JDK 25 when one is installed (-Dlambda.java.home overrides). */
    private static String javaExecutable() throws IOException {
        String configured = System.getProperty("lambda.java.home");
        if (configured != null) {
            return Path.of(configured, "bin", "java").toString();
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                var jdk25 = homes.filter(home -> home.getFileName().toString().contains("25"))
                        .map(home -> home.resolve("bin").resolve("java"))
                        .filter(Files::isExecutable)
                        .findFirst();
                if (jdk25.isPresent()) {
                    return jdk25.get().toString();
                }
            }
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
