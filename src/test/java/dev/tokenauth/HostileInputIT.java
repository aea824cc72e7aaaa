package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.auth0.jwt.JWT;
import dev.tokenauth.HostileEvents.Expect;
import dev.tokenauth.HostileEvents.Hostile;
import dev.tokenauth.HostileEvents.Victim;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * Thousands of generated hostile API Gateway events, plus the hand-written corpus in
 * {@code src/test/resources/hostile/}, through the real FunctionInvoker. For every one: a
 * well-formed proxy response, no 5xx, no stack trace or class name, a GraphQL-shaped error for a
 * 4xx, no forged token ever authenticating; over the whole batch: no generated secret in the logs
 * and no change to the users table but the registrations that succeeded.
 *
 * <p>The run is reproducible by its seed, printed at the start: {@code -Dhostile.seed=<seed>}.
 * {@code -Dhostile.scale=<factor>} multiplies the number of generated events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

    /** Events per category (times hostile.scale). */
    private static final Map<String, Integer> COUNTS = Map.of(
            "raw-bytes", 300,
            "wrong-types", 300,
            "malformed-body", 400,
            "huge-and-deep", 60,
            "encoding", 300,
            "headers", 400,
            "forged-tokens", 600,
            "odd-signed-tokens", 200,
            "credentials", 400,
            "methods-and-paths", 200);
    private static final Path CORPUS = Path.of(System.getProperty("project.basedir", "."))
            .resolve("src/test/resources/hostile");
    /** What a response body must not show unless the request itself contained it. */
    private static final List<String> LEAK_MARKERS = List.of("Exception", "\tat ", "Caused by", "java.",
            "dev.tokenauth", "tools.jackson", "com.fasterxml", "software.amazon", "springframework",
            "com.auth0", "graphql.execution", "graphql.parser", "graphql.schema", "ANTLR", "Linked", "ArrayList",
            "BigInteger", "BigDecimal", "HashMap", "Value{");
    private static final Set<Integer> EXPECTED_STATUSES = Set.of(200, 204, 400, 404, 405, 413, 415);
    private static final int MAX_REPORTED = 25;

    private final LambdaHarness lambda = LambdaHarness.get();
    private final long seed = Long.getLong("hostile.seed", new Random().nextLong());
    private final double scale = Double.parseDouble(System.getProperty("hostile.scale", "1"));

    private Victim victim;
    private Map<String, Map<String, AttributeValue>> tableBefore;
    private LogCapture logs;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();
    private final Set<String> registeredByBatch = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> thrownTypes = new TreeMap<>();
    private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();
    private int events;
    /** The slowest events, for the report only: nothing is asserted about time. */
    private final TreeMap<Long, String> slowest = new TreeMap<>();

    @BeforeAll
    void registerTheVictimAndSnapshotTheTable() {
        System.out.println("HostileInputIT seed: " + seed + " (rerun with -Dhostile.seed=" + seed + ")");
        String name = "victim-" + Long.toString(seed & 0xffffff, 36);
        String password = "victim passphrase " + Long.toHexString(new Random(seed).nextLong());
        LambdaResponse registered = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", password)));
        JsonNode tokens = registered.data("register");
        if (!tokens.isObject()) {
            // a rerun with the same seed in the same JVM: log in instead
            tokens = lambda.invoke(Event.load("login.json")
                    .variables(Map.of("username", name, "password", password))).data("login");
        }
        var pair = new TokenPair(tokens.path("accessToken").stringValue(), tokens.path("refreshToken").stringValue());
        var jwt = JWT.decode(pair.refreshToken());
        victim = new Victim(name, password, pair,
                new Principal(jwt.getSubject(), jwt.getClaim("username").asString(), jwt.getClaim("cnt").asLong(),
                        jwt.getClaim("sid").asString()));
        secrets.addAll(List.of(password, pair.accessToken(), pair.refreshToken()));
        tableBefore = scanTable();
        logs = LogCapture.start();
    }

    @AfterAll
    void stopCapturing() {
        if (logs != null) {
            logs.stop();
        }
        System.out.println("HostileInputIT: " + events + " events (seed " + seed + "); statuses by category "
                + statuses + "; invoker failures on non-events " + thrownTypes);
        slowest.descendingMap().forEach((nanos, event) ->
                System.out.println("HostileInputIT: slow event " + nanos / 1_000_000 + " ms: " + event));
    }

    @TestFactory
    Stream<DynamicTest> hostileEvents() {
        List<DynamicTest> tests = new ArrayList<>();
        int index = 0;
        for (var category : HostileEvents.CATEGORIES.entrySet()) {
            int count = (int) Math.max(1, Math.round(COUNTS.get(category.getKey()) * scale));
            long categorySeed = seed + 1_000_003L * index++;
            tests.add(DynamicTest.dynamicTest(category.getKey() + " x" + count, () -> {
                var random = new Random(categorySeed);
                boolean forged = category.getKey().contains("forged");
                long generationBefore = forged ? assertVictimTokensStillWork("before " + category.getKey()) : 0;
                List<String> violations = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    Hostile hostile = category.getValue().apply(random, victim);
                    for (String violation : check(hostile)) {
                        violations.add("#" + i + " " + hostile + ": " + violation);
                    }
                }
                assertNoViolations(category.getKey(), violations);
                if (forged) {
                    assertThat(assertVictimTokensStillWork("after " + category.getKey()))
                            .as("the victim's session generation: forged tokens neither rotate nor revoke it")
                            .isEqualTo(generationBefore);
                }
            }));
        }
        for (Path file : corpusFiles()) {
            tests.add(DynamicTest.dynamicTest("corpus " + file.getFileName(), () ->
                    assertNoViolations(file.getFileName().toString(), check(corpusEvent(file)))));
        }
        tests.add(DynamicTest.dynamicTest("the users table changed only by successful registrations",
                this::tableChangedOnlyByRegistrations));
        tests.add(DynamicTest.dynamicTest("no generated password or token in the logs", this::noSecretInLogs));
        return tests.stream();
    }

    /**
     * Forged tokens must neither authenticate nor harm the victim: the genuine access token still
     * reads the victim, and the victim's session is still stored; returns its generation, which
     * forged tokens must not move (checked in the table: using the refresh token would move it).
     */
    private long assertVictimTokensStillWork(String when) {
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .header("x-access-token", victim.tokens().accessToken()));
        assertThat(response.data("loggedInUser").path("username").stringValue()).as("the victim's access token " + when)
                .isEqualTo(victim.username());
        var session = lambda.users().findByUsername(victim.username()).orElseThrow()
                .session(victim.principal().sessionId());
        assertThat(session).as("the victim's session " + when).isPresent();
        return session.get().generation();
    }

    // ---------------------------------------------------------------- per event

    private List<String> check(Hostile hostile) {
        events++;
        hostile.secrets().stream().filter(HostileInputIT::isSecretLike).forEach(secrets::add);
        String output;
        long started = System.nanoTime();
        try {
            output = lambda.invokeRaw(hostile.bytes());
        } catch (Throwable thrown) {
            return checkThrown(hostile, thrown);
        } finally {
            noteDuration(hostile, System.nanoTime() - started);
        }
        List<String> violations = new ArrayList<>();
        JsonNode response = jsonObject(output);
        if (response == null) {
            return List.of("the response is not a JSON object: " + abbreviate(output));
        }
        JsonNode statusNode = response.get("statusCode");
        if (statusNode == null || !statusNode.isInt()) {
            return List.of("statusCode is not an int: " + abbreviate(output));
        }
        int status = statusNode.intValue();
        statuses.computeIfAbsent(hostile.category(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
        JsonNode headers = response.get("headers");
        if (headers == null || !headers.isObject()) {
            violations.add("headers is not an object");
        } else {
            headers.properties().forEach(header -> {
                if (!header.getValue().isString()) {
                    violations.add("header " + header.getKey() + " is not a string");
                }
            });
        }
        JsonNode isBase64 = response.get("isBase64Encoded");
        if (isBase64 == null || !isBase64.isBoolean() || isBase64.booleanValue()) {
            violations.add("isBase64Encoded is not false");
        }
        JsonNode bodyNode = response.get("body");
        if (bodyNode == null || !bodyNode.isString()) {
            violations.add("body is not a string");
            return violations;
        }
        String body = bodyNode.stringValue();
        if (status >= 500) {
            violations.add("status " + status + " for client input: " + abbreviate(body));
        } else if (!EXPECTED_STATUSES.contains(status)) {
            violations.add("unexpected status " + status);
        }
        String request = hostile.text();
        for (String marker : LEAK_MARKERS) {
            if (body.contains(marker) && !request.contains(marker)) {
                violations.add("the body shows '" + marker.replace("\t", "\\t") + "': " + abbreviate(body));
            }
        }
        for (String secret : hostile.secrets()) {
            if (isSecretLike(secret) && body.contains(secret) && !secret.equals(victim.tokens().accessToken())) {
                violations.add("the body echoes a generated secret");
            }
        }
        if (status == 204) {
            if (!body.isEmpty()) {
                violations.add("204 with a body");
            }
        } else {
            violations.addAll(checkGraphqlBody(status, body));
        }
        if (hostile.expect() == Expect.NOT_AUTHENTICATED) {
            violations.addAll(checkNotAuthenticated(headers, body));
        }
        noteRegistration(status, body);
        return violations;
    }

    /** Only bytes that are no event at all may make the invoker throw; the error must hold no secret. */
    private List<String> checkThrown(Hostile hostile, Throwable thrown) {
        String type = thrown.getClass().getSimpleName();
        synchronized (thrownTypes) {
            thrownTypes.merge(type, 1, Integer::sum);
        }
        var trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        List<String> violations = new ArrayList<>();
        if (!hostile.eventLevel()) {
            violations.add("the invoker threw for an event API Gateway could send: " + abbreviate(trace.toString()));
        }
        if (thrown instanceof Error && !(thrown instanceof AssertionError)) {
            violations.add("the invoker died with " + thrown);
        }
        for (String secret : hostile.secrets()) {
            if (isSecretLike(secret) && trace.toString().contains(secret)) {
                violations.add("the invoker's error (which Lambda logs) holds a generated secret");
            }
        }
        return violations;
    }

    /** The text as a JSON object, or null when it is not one (not JSON at all, or another JSON value). */
    private static JsonNode jsonObject(String text) {
        try {
            JsonNode node = Event.JSON.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<String> checkGraphqlBody(int status, String body) {
        JsonNode json = jsonObject(body);
        if (json == null) {
            return List.of("the body is not a JSON object: " + abbreviate(body));
        }
        List<String> violations = new ArrayList<>();
        JsonNode errors = json.get("errors");
        if (status >= 400) {
            if (errors == null || !errors.isArray() || errors.isEmpty()) {
                violations.add(status + " without a GraphQL errors array: " + abbreviate(body));
            }
        } else if (!json.has("data") && errors == null) {
            violations.add("200 with neither data nor errors: " + abbreviate(body));
        }
        if (errors != null && errors.isArray()) {
            for (JsonNode error : errors) {
                if (!error.path("message").isString() || error.path("message").stringValue().isBlank()) {
                    violations.add("an error without a message: " + abbreviate(body));
                }
                if (status >= 400 && !error.path("extensions").path("code").isString()) {
                    violations.add("a " + status + " error without extensions.code: " + abbreviate(body));
                }
            }
        }
        return violations;
    }

    private static List<String> checkNotAuthenticated(JsonNode headers, String body) {
        List<String> violations = new ArrayList<>();
        if (headers != null && headers.isObject()) {
            headers.propertyNames().forEach(name -> {
                if (name.equalsIgnoreCase("x-access-token") || name.equalsIgnoreCase("x-refresh-token")) {
                    violations.add("a forged token minted a new " + name);
                }
            });
        }
        JsonNode json = jsonObject(body);
        JsonNode data = json == null ? null : json.get("data");
        if (data != null && data.isObject()) {
            if (data.has("loggedInUser") && !data.get("loggedInUser").isNull()) {
                violations.add("a forged token authenticated: " + abbreviate(body));
            }
            if (data.path("logout").isBoolean() && data.path("logout").booleanValue()) {
                violations.add("a forged token logged the victim out");
            }
        }
        return violations;
    }

    private void noteDuration(Hostile hostile, long nanos) {
        slowest.put(nanos, hostile.toString());
        if (slowest.size() > 5) {
            slowest.pollFirstEntry();
        }
    }

    private void noteRegistration(int status, String body) {
        if (status != 200 || !body.contains("\"register\"")) {
            return;
        }
        JsonNode token = Event.JSON.readTree(body).path("data").path("register").path("accessToken");
        if (token.isString()) {
            secrets.add(token.stringValue());
            registeredByBatch.add(JWT.decode(token.stringValue()).getClaim("username").asString());
        }
    }

    // ---------------------------------------------------------------- over the batch

    /**
     * Identities and credentials are never changed by hostile input. Sessions may change: the
     * batch also sends the victim's genuine tokens and password (in odd headers, odd casing), and a
     * login, a refresh or a replayed refresh token legitimately writes the victim's sessions.
     * Failed logins and registrations leave counters (per name, device or source address), which are not users.
     */
    private void tableChangedOnlyByRegistrations() {
        Map<String, Map<String, AttributeValue>> after = scanTable();
        for (var before : tableBefore.entrySet()) {
            var now = after.get(before.getKey());
            assertThat(now).as("user %s after the hostile batch", before.getKey()).isNotNull();
            for (String attribute : List.of("userId", "username", "passwordHash", "createdAt")) {
                assertThat(now.get(attribute)).as("%s of %s after the hostile batch", attribute, before.getKey())
                        .isEqualTo(before.getValue().get(attribute));
            }
        }
        Set<String> added = new HashSet<>();
        after.forEach((key, item) -> {
            if (!tableBefore.containsKey(key) && item.containsKey("userId")) {
                added.add(key);
            }
        });
        assertThat(added).as("users added by the hostile batch").isEqualTo(registeredByBatch);
        for (String name : added) {
            var item = after.get(name);
            assertThat(item.get("tokenCount").n()).as(name).isEqualTo("0");
            assertThat(item.get("passwordHash").s()).as(name).startsWith("$2");
        }
        after.forEach((key, item) -> {
            if (!item.containsKey("userId")) {
                assertThat(key).as("a non-user item").matches("(login-attempts|login-device|login-invalid|password-session"
                        + "|register-ip|mail-to|mail-ip|email|passkey-source|webauthn-challenge|mfa-token)#.*");
            }
        });
        System.out.println("HostileInputIT: " + added.size() + " users registered by the batch, "
                + tableBefore.size() + " users' identities and credentials untouched");
    }

    private void noSecretInLogs() {
        String captured = logs.stop();
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            if (captured.contains(secret)) {
                found.add(abbreviate(secret));
            } else if (secret.chars().filter(c -> c == '.').count() == 2) {
                String signature = secret.substring(secret.lastIndexOf('.') + 1);
                if (signature.length() >= 20 && captured.contains(signature)) {
                    found.add("signature of " + abbreviate(secret));
                }
            }
        }
        assertThat(found).as("secrets in %d chars of captured log output (%d secrets checked)",
                captured.length(), secrets.size()).isEmpty();
        assertThat(secrets).hasSizeGreaterThan(500);
    }

    private Map<String, Map<String, AttributeValue>> scanTable() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        lambda.dynamo.scanPaginator(request -> request.tableName(lambda.table).consistentRead(true))
                .items().forEach(item -> items.put(item.get("username").s(), item));
        return items;
    }

    // ---------------------------------------------------------------- corpus

    private static List<Path> corpusFiles() {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("the hostile corpus " + CORPUS, e);
        }
    }

    /**
     * A corpus file: {@code event-*} is a whole event (bytes as they are), {@code raw-*} bytes
     * that are no event, {@code body-*} a POST body for the loggedInUser event. Placeholders:
     * {@code @ACCESS@}, {@code @REFRESH@} (the victim's tokens), {@code @ACCESS_HEADER@},
     * {@code @ACCESS_PAYLOAD@}, {@code @ACCESS_SIG@}, {@code @REFRESH_PAYLOAD@}, {@code @REFRESH_SIG@}
     * (their parts), {@code @ACCESS_OTHER_BITS@}, {@code @ACCESS_PADDED@}, {@code @REFRESH_OTHER_BITS@}
     * (the tokens with their signature spelt otherwise), {@code @VICTIM@}; a name with
     * {@code forged} must not authenticate.
     */
    private Hostile corpusEvent(Path file) {
        String name = file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Read as Latin-1 and written back the same way: the bytes survive, invalid UTF-8 included.
        String[] access = victim.tokens().accessToken().split("\\.");
        String[] refresh = victim.tokens().refreshToken().split("\\.");
        List<String> accessSpellings = HostileEvents.otherSpellingsOfTheSignature(victim.tokens().accessToken());
        List<String> refreshSpellings = HostileEvents.otherSpellingsOfTheSignature(victim.tokens().refreshToken());
        text = text.replace("@ACCESS_OTHER_BITS@", accessSpellings.get(0))
                .replace("@ACCESS_PADDED@", accessSpellings.get(accessSpellings.size() - 1))
                .replace("@REFRESH_OTHER_BITS@", refreshSpellings.get(refreshSpellings.size() - 2));
        text = text.replace("@ACCESS_HEADER@", access[0]).replace("@ACCESS_PAYLOAD@", access[1])
                .replace("@ACCESS_SIG@", access[2]).replace("@REFRESH_PAYLOAD@", refresh[1])
                .replace("@REFRESH_SIG@", refresh[2])
                .replace("@ACCESS@", victim.tokens().accessToken())
                .replace("@REFRESH@", victim.tokens().refreshToken())
                .replace("@VICTIM@", victim.username());
        byte[] bytes;
        if (name.startsWith("body-")) {
            var event = HostileEvents.template("logged-in-user.json");
            event.put("body", new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            bytes = HostileEvents.bytes(event);
        } else {
            bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        }
        return new Hostile("corpus", name, bytes, name.startsWith("raw-"),
                name.contains("forged") ? Expect.NOT_AUTHENTICATED : Expect.ANY,
                List.of(victim.tokens().accessToken(), victim.tokens().refreshToken()));
    }

    // ---------------------------------------------------------------- helpers

    private void assertNoViolations(String what, List<String> violations) {
        assertThat(violations)
                .as("%s: %d violations (seed %d; rerun with -Dhostile.seed=%d); first ones:%n%s", what,
                        violations.size(), seed, seed,
                        String.join("\n", violations.subList(0, Math.min(MAX_REPORTED, violations.size()))))
                .isEmpty();
    }

    /** Long enough to mean something if it shows up in a log. */
    private static boolean isSecretLike(String value) {
        return value != null && value.strip().length() >= 12;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return oneLine.length() > 400 ? oneLine.substring(0, 400) + "...(" + oneLine.length() + " chars)" : oneLine;
    }
}
