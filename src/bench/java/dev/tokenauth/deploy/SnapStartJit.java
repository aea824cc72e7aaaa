package dev.tokenauth.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import dev.tokenauth.Event;
import dev.tokenauth.LambdaResponse;
import dev.tokenauth.bench.Jdk25;
import dev.tokenauth.local.DynaliteProcess;
import dev.tokenauth.local.UsersTable;

/**
 * JIT flags over a warm environment's life on the SnapStart path: per run, a fresh runtime-client
 * JVM (JDK 25, the packaged zip, snap-start mode: checkpoint hooks, restore, restore hooks), then
 * a login (the first request after the restore) and a realistic mix: of every 50 requests, one
 * login, five refreshes (a query sent with the refresh token only: a rotation), the rest
 * {@code loggedInUser} queries with a valid access token (one GetItem). The variants alternate in
 * each round. Measured: wall time per request from the Runtime API's side, and the runtime
 * process's CPU time (all threads, /proc/<pid>/task/<tid>/schedstat), which is what a
 * Lambda environment of 1024 MB (less than one vCPU, and frozen between invocations, so the JIT
 * compiles only while requests run) turns into billed duration.
 *
 * <p>System properties: bench.runs (3), bench.requests (5000), bench.variants
 * (c1=-XX:TieredStopAtLevel=1;both=), bench.baseFlags (-XX:+TieredCompilation -XX:+UseSerialGC).
 */
public final class SnapStartJit {

    private static final String PASSWORD = "correct horse battery staple";

    record Variant(String name, String flags) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        int requests = Integer.getInteger("bench.requests", 5000);
        String base = System.getProperty("bench.baseFlags", "-XX:+TieredCompilation -XX:+UseSerialGC");
        List<Variant> variants = new ArrayList<>();
        for (String spec : System.getProperty("bench.variants", "c1=-XX:TieredStopAtLevel=1;both=").split(";")) {
            String[] parts = spec.split("=", 2);
            variants.add(new Variant(parts[0], (base + " " + parts[1]).trim()));
        }
        String java = Jdk25.home() + "/bin/java";
        Path zip = Path.of(System.getProperty("bench.zip", "target/token-auth-graphql-lambda.zip"));
        String name = "jit" + UUID.randomUUID().toString().substring(0, 8);
        try (var dynalite = new DynaliteProcess(); var client = UsersTable.client(dynalite.endpoint())) {
            String table = "bench-" + UUID.randomUUID();
            UsersTable.create(client, table);
            Map<String, String> env = SnapStartTimings.environment(dynalite.endpoint().toString(), table);
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            String hash = new dev.tokenauth.user.PasswordHasher(10).hash(PASSWORD);
            new dev.tokenauth.user.dynamodb.DynamoUserRepository(client, table).create(new dev.tokenauth.user.User(
                    UUID.randomUUID().toString(), name, hash, 0, Map.of(), Instant.now(), 0));
            for (int round = 1; round <= runs; round++) {
                for (Variant variant : variants) {
                    Path root = Files.createTempDirectory("lambda-task-");
                    LambdaRuntimeIT.unzip(zip, root);
                    Path log = Files.createTempFile("lambda-jit-", ".log");
                    try (var api = new RuntimeApiServer()) {
                        var runEnv = new LinkedHashMap<>(env);
                        runEnv.put("AWS_LAMBDA_RUNTIME_API", api.address());
                        runEnv.put("LAMBDA_TASK_ROOT", root.toString());
                        runEnv.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
                        runEnv.put("JAVA_TOOL_OPTIONS", variant.flags()
                                + " -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
                        var builder = new ProcessBuilder(java, "-cp", LambdaRuntimeIT.runtimeClientClassPath(),
                                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", env.get("_HANDLER"))
                                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
                        builder.environment().clear();
                        builder.environment().putAll(runEnv);
                        Process process = builder.start();
                        try {
                            // From the restore on: the runtime client asks for it, runs the hooks, then polls.
                            while (api.nextRequests.get() == 0 && process.isAlive()) {
                                Thread.sleep(10);
                            }
                            Thread.sleep(500);
                            double[] row = drive(api, process, name, requests);
                            results.computeIfAbsent(variant.name(), key -> new ArrayList<>()).add(row);
                            System.out.printf(Locale.ROOT, "round %d %s: %s%n", round, variant.name(), format(row));
                        } finally {
                            process.destroy();
                            process.waitFor();
                        }
                    } finally {
                        Files.deleteIfExists(log);
                        try (Stream<Path> files = Files.walk(root)) {
                            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                        }
                    }
                }
            }
            System.out.println();
            System.out.println("| flags | first request (login): wall | its CPU | first 100: wall | their CPU "
                    + "| CPU per request, all " + requests + " | CPU per request, last 1000 | wall p50, last 1000 |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (Variant variant : variants) {
                List<double[]> rows = results.get(variant.name());
                var line = new StringBuilder("| " + variant.name() + " (`" + variant.flags() + "`)");
                String[] units = {" ms", " ms", " ms", " ms", " ms", " ms", " ms"};
                for (int column = 0; column < units.length; column++) {
                    double[] values = new double[rows.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rows.get(i)[column];
                    }
                    Arrays.sort(values);
                    line.append(String.format(Locale.ROOT, " | %s [%s-%s]%s", fmt(median(values)), fmt(values[0]),
                            fmt(values[values.length - 1]), units[column]));
                }
                System.out.println(line.append(" |"));
            }
        }
        System.exit(0);
    }

    /**
     * The login and the mix; returns the first request's wall and CPU ms, the first 100's wall and
     * CPU ms, the CPU ms per request over all and over the last 1000, the wall p50 of the last 1000.
     */
    private static double[] drive(RuntimeApiServer api, Process process, String name, int requests) throws Exception {
        long pid = process.pid();
        long cpu0 = cpuNanos(pid);
        long wall0 = System.nanoTime();
        String[] pair = login(api, process, name);
        long firstWall = System.nanoTime() - wall0;
        long firstCpu = cpuNanos(pid) - cpu0;
        long[] walls = new long[requests];
        walls[0] = firstWall;
        long cpu100 = 0;
        long wall100 = 0;
        long cpuBeforeLast = 0;
        for (int i = 1; i < requests; i++) {
            if (i == requests - 1000) {
                cpuBeforeLast = cpuNanos(pid);
            }
            long start = System.nanoTime();
            if (i % 50 == 0) {
                pair = login(api, process, name);
            } else if (i % 10 == 5) {
                LambdaResponse refreshed = call(api, process, Event.load("logged-in-user.json")
                        .header("x-refresh-token", pair[1]));
                pair = new String[] {refreshed.header("x-access-token"), refreshed.header("x-refresh-token")};
                if (pair[0] == null || pair[1] == null) {
                    throw new IllegalStateException("refresh failed: " + refreshed.body());
                }
            } else {
                LambdaResponse me = call(api, process, Event.load("logged-in-user.json").header("x-access-token", pair[0]));
                if (me.firstErrorCode() != null) {
                    throw new IllegalStateException("query failed: " + me.body());
                }
            }
            walls[i] = System.nanoTime() - start;
            if (i == 99) {
                cpu100 = cpuNanos(pid) - cpu0;
                wall100 = System.nanoTime() - wall0;
            }
        }
        long cpuAll = cpuNanos(pid) - cpu0;
        long cpuLast = cpuNanos(pid) - cpuBeforeLast;
        long[] last = Arrays.copyOfRange(walls, requests - 1000, requests);
        Arrays.sort(last);
        return new double[] {firstWall / 1e6, firstCpu / 1e6, wall100 / 1e6, cpu100 / 1e6,
                cpuAll / 1e6 / requests, cpuLast / 1e6 / 1000, last[500] / 1e6};
    }

    private static String[] login(RuntimeApiServer api, Process process, String name) throws Exception {
        LambdaResponse login = call(api, process, Event.load("login.json")
                .variables(Map.of("username", name, "password", PASSWORD)));
        String access = login.data("login").path("accessToken").asString(null);
        if (access == null) {
            throw new IllegalStateException("login failed: " + login.body());
        }
        return new String[] {access, login.data("login").path("refreshToken").asString()};
    }

    private static LambdaResponse call(RuntimeApiServer api, Process process, Event event) throws Exception {
        var outcome = api.invoke(event.bytes(), Duration.ofSeconds(60), process::isAlive);
        if (outcome.error()) {
            throw new IllegalStateException("function error: " + outcome.body());
        }
        return LambdaResponse.parse(outcome.body());
    }

    /** CPU time of every live thread of the process, in ns. */
    static long cpuNanos(long pid) throws IOException {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    total += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
                } catch (IOException e) {
                    // the thread ended
                }
            }
        }
        return total;
    }

    private static String format(double[] row) {
        return String.format(Locale.ROOT, "first %.1f ms (cpu %.1f), first 100 %.0f ms (cpu %.0f), cpu/request %.3f ms "
                + "(last 1000: %.3f), wall p50 last 1000 %.2f ms", row[0], row[1], row[2], row[3], row[4], row[5], row[6]);
    }

    private static String fmt(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
                : value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
