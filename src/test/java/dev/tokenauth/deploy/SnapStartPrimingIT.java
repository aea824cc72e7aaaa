package dev.tokenauth.deploy;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;

import dev.tokenauth.Event;
import dev.tokenauth.LambdaResponse;
import dev.tokenauth.SecurityLines;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.example.notes.NotesModuleFactory;
import dev.tokenauth.local.DynamoDbTestServer;
import dev.tokenauth.local.ModuleTables;
import dev.tokenauth.local.UsersTable;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The SnapStart priming reaches every path a first request takes: the packaged zip under the
 * runtime client in snap-start mode, with a module jar beside it and a class-load log, and the
 * classes each first request loads after the restore counted. A path the priming misses shows up
 * as a request that loads its classes (a hundred or more); what a primed one still loads is a
 * module's own lambdas (docs/performance.md lists them). The first invocation of all, a preflight,
 * carries the runtime client's own first-invocation classes, which no priming inside the function
 * reaches. Also: the priming's events never reach the log, and its items never stay in the table.
 */
class SnapStartPrimingIT {

    /** Classes a primed first request of a kind may still load: a handful, never a path's worth. */
    static final int HANDFUL = 5;
    /**
     * The runtime client's own first invocation after the restore (its context classes, a few
     * method-handle forms), whatever the request: out of the function's reach, so not primed.
     */
    static final int RUNTIME_FIRST_INVOCATION = 12;
    private static final String PASSWORD = "correct horse battery staple";
    private static final String NEW_PASSWORD = "another horse battery staple";

    @Test
    void afterTheRestoreTheFirstRequestOfEachKindLoadsAtMostAHandfulOfClasses() throws Exception {
        String notesTable = "notes-" + UUID.randomUUID();
        try (var client = UsersTable.client(DynamoDbTestServer.endpoint())) {
            ModuleTables.create(client, NotesModuleFactory.TABLE, notesTable);
        }
        Path jar = ModuleJar.of(NotesModuleFactory.class, "graphql/notes.graphqls");
        Path classLog = Files.createTempFile("class-load-", ".log");
        try (var lambda = new LambdaRuntimeIT.LambdaProcess(true, true, null,
                Map.of(jar, Map.of(NotesModuleFactory.TABLE.nameSetting(), notesTable)),
                List.of("-Xlog:class+load=info:file=" + classLog + ":tags"))) {
            String name = uniqueName();
            seedUser(lambda.table, name);
            var loads = new ClassLoads(classLog, lambda.runtimeApi.nextRequests::get);

            Map<String, List<String>> loaded = new LinkedHashMap<>();
            loads.awaitIdle();
            List<String> firstInvocation = loads.during(() -> lambda.invoke(Event.load("preflight.json")));
            // Every request below is the first of its kind since the restore.
            loaded.put("login", loads.during(() -> {
                LambdaResponse login = lambda.invoke(Event.load("login.json").variables(credentials(name, PASSWORD)));
                assertThat(login.firstErrorCode()).as(login.body()).isNull();
                return login;
            }));
            LambdaResponse login = loads.last();
            String refreshToken = login.data("login").path("refreshToken").stringValue();

            loaded.put("refresh", loads.during(() -> lambda.invoke(Event.load("logged-in-user.json")
                    .header("x-refresh-token", refreshToken))));
            LambdaResponse refreshed = loads.last();
            assertThat(refreshed.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
            String accessToken = refreshed.header("x-access-token");
            assertThat(accessToken).isNotBlank();

            loaded.put("a module's query", loads.during(() -> lambda.invoke(Event.load("logged-in-user.json")
                    .body(Event.JSON.writeValueAsString(Map.of("query", "{ myNotes { id text } }")))
                    .header("x-access-token", accessToken))));
            assertThat(loads.last().firstErrorCode()).as(loads.last().body()).isNull();

            loaded.put("changePassword", loads.during(() -> lambda.invoke(Event.load("logged-in-user.json")
                    .body(Event.JSON.writeValueAsString(Map.of(
                            "query", "mutation ($old: String!, $new: String!) { changePassword(oldPassword: $old, "
                                    + "newPassword: $new) { accessToken refreshToken } }",
                            "variables", Map.of("old", PASSWORD, "new", NEW_PASSWORD))))
                    .header("x-access-token", accessToken))));
            LambdaResponse changed = loads.last();
            assertThat(changed.firstErrorCode()).as(changed.body()).isNull();

            loaded.put("logout", loads.during(() -> lambda.invoke(Event.load("logout.json")
                    .header("x-access-token", changed.data("changePassword").path("accessToken").stringValue()))));
            assertThat(loads.last().data("logout").booleanValue()).isTrue();

            var report = new StringBuilder();
            loaded.forEach((operation, classes) -> report.append(operation).append(": ").append(classes.size())
                    .append(" classes\n  ").append(String.join("\n  ", classes)).append('\n'));
            String output = lambda.output();
            System.out.println(output.lines().filter(line -> line.contains("SnapStart priming done")).findFirst().orElse("")
                    + "\nClasses loaded after the restore by the first invocation (a preflight): " + firstInvocation.size()
                    + "\n  " + String.join("\n  ", firstInvocation) + "\nthen by the first request of each kind:\n" + report);
            assertThat(firstInvocation).hasSizeLessThanOrEqualTo(RUNTIME_FIRST_INVOCATION);
            loaded.forEach((operation, classes) -> assertThat(classes).as(operation + "\n" + report)
                    .hasSizeLessThanOrEqualTo(HANDFUL));

            assertThat(output).contains("SnapStart priming done");
            // The priming's own security events and metric lines never reach the log.
            assertThat(SecurityLines.in(output).stream().map(line -> line.path("event").stringValue()).toList())
                    .containsExactly("login_succeeded", "session_refreshed", "password_changed", "logged_out");
            assertThat(output).doesNotContain(DynamoUserRepository.NOBODY);
            // What the priming wrote is gone: the table holds the seeded user and nothing else.
            assertThat(keysOf(lambda.table)).containsExactly(name);
        } finally {
            Files.deleteIfExists(classLog);
        }
    }

    private static void seedUser(String table, String name) {
        try (var client = UsersTable.client(DynamoDbTestServer.endpoint())) {
            String hash = new PasswordHasher(AppConfig.MIN_BCRYPT_COST).hash(PASSWORD);
            new DynamoUserRepository(client, table).create(
                    new User(UUID.randomUUID().toString(), name, hash, 0, Map.of(), Instant.now(), 0));
        }
    }

    private static List<String> keysOf(String table) {
        try (var client = UsersTable.client(DynamoDbTestServer.endpoint())) {
            return client.scanPaginator(request -> request.tableName(table).consistentRead(true)).items().stream()
                    .map(item -> item.get(UsersTable.KEY)).map(AttributeValue::s).toList();
        }
    }

    /** One request, answered. */
    @FunctionalInterface
    interface Request {
        LambdaResponse send() throws Exception;
    }

    /**
     * The class-load log, split by requests: a request's classes are the lines written from the
     * moment the runtime client was idle before it to the moment it is idle again (asking the
     * runtime API for the next invocation), so the runtime client's own work on the answer counts.
     */
    private static final class ClassLoads {
        private final Path log;
        private final IntSupplier nextRequests;
        private int seen;
        private LambdaResponse last;

        ClassLoads(Path log, IntSupplier nextRequests) {
            this.log = log;
            this.nextRequests = nextRequests;
        }

        /** Until the restored runtime client first asks for an invocation. */
        void awaitIdle() throws Exception {
            awaitNextRequestsAbove(0);
            seen = lines().size();
        }

        /** A bounded wait: a runtime client that died at init never asks again, and the test says so. */
        private void awaitNextRequestsAbove(int count) throws Exception {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
            while (nextRequests.getAsInt() <= count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the runtime client stopped asking for invocations (did it fail to "
                            + "start? see its output in the test log)");
                }
                Thread.sleep(20);
            }
        }

        List<String> during(Request request) throws Exception {
            int before = seen;
            int answered = nextRequests.getAsInt();
            last = request.send();
            awaitNextRequestsAbove(answered);
            List<String> all = lines();
            seen = all.size();
            var classes = new ArrayList<String>();
            for (String line : all.subList(before, all.size())) {
                // "[class,load] name source: ..."
                String[] parts = line.substring(line.indexOf(']', line.indexOf("class,load")) + 2).split(" ");
                classes.add(parts[0]);
            }
            return classes;
        }

        LambdaResponse last() {
            return last;
        }

        private List<String> lines() throws IOException {
            return Files.readAllLines(log).stream().filter(line -> line.contains("[class,load]")).toList();
        }
    }
}
