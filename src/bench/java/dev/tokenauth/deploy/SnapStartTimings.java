package dev.tokenauth.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.bench.Jdk25;
import dev.tokenauth.local.DynaliteProcess;
import dev.tokenauth.local.UsersTable;

/**
 * The packaged function under the Lambda runtime client, as LambdaRuntimeIT runs it, timed from the
 * Runtime API's side: per run, a fresh runtime-client JVM (JDK 25, the template's flags) in
 * snap-start mode, which calls the checkpoint hooks, asks for the restore, calls the restore hooks,
 * then serves 30 logins of a user registered beforehand. Prints the first login after the restore
 * (timed from 2 s after the runtime asked for the restore; in on-demand mode, from the process
 * start, so it includes the whole initialisation),
 * the warm median (logins 11-30), and the checkpoint and restore lines the function logged.
 * This JDK has no CRaC: the process is not actually checkpointed, so the restore's page-in cost on
 * Lambda is not in these numbers; the hooks' work and the state at the checkpoint are.
 */
public final class SnapStartTimings {

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 5);
        String java = Jdk25.home() + "/bin/java";
        String snapStart = System.getProperty("bench.mode", "snap-start");
        Path zip = Path.of(System.getProperty("bench.zip", "target/token-auth-graphql-lambda.zip"));
        byte[] register = Files.readAllBytes(Path.of("events/register.json"));
        byte[] login = Files.readAllBytes(Path.of("events/login.json"));
        try (var dynalite = new DynaliteProcess(); var client = UsersTable.client(dynalite.endpoint())) {
            String table = "bench-" + UUID.randomUUID();
            UsersTable.create(client, table);
            Map<String, String> env = environment(dynalite.endpoint().toString(), table);
            for (int run = 0; run <= runs; run++) {
                Path root = Files.createTempDirectory("lambda-task-");
                LambdaRuntimeIT.unzip(zip, root);
                Path log = Files.createTempFile("lambda-bench-", ".log");
                try (var api = new RuntimeApiServer()) {
                    var runEnv = new LinkedHashMap<>(env);
                    runEnv.put("AWS_LAMBDA_RUNTIME_API", api.address());
                    runEnv.put("LAMBDA_TASK_ROOT", root.toString());
                    if (snapStart.equals("snap-start")) {
                        runEnv.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
                        runEnv.put("JAVA_TOOL_OPTIONS", runEnv.get("JAVA_TOOL_OPTIONS")
                                + " -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
                    }
                    var builder = new ProcessBuilder(java, "-cp", LambdaRuntimeIT.runtimeClientClassPath(),
                            "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                            env.get("_HANDLER"))
                            .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
                    builder.environment().clear();
                    builder.environment().putAll(runEnv);
                    Process process = builder.start();
                    try {
                        if (run == 0) {
                            // Registers the user the timed runs log in as.
                            api.invoke(register, Duration.ofSeconds(60), process::isAlive);
                            continue;
                        }
                        if (snapStart.equals("snap-start")) {
                            // Time from the restore on: wait until the runtime asked for it, then
                            // give the restore hooks time to finish and the runtime to poll.
                            while (!api.restoreRequested && process.isAlive()) {
                                Thread.sleep(20);
                            }
                            Thread.sleep(2000);
                        }
                        long[] logins = new long[30];
                        for (int i = 0; i < logins.length; i++) {
                            long start = System.nanoTime();
                            var outcome = api.invoke(login, Duration.ofSeconds(60), process::isAlive);
                            logins[i] = System.nanoTime() - start;
                            if (outcome.error() || !outcome.body().contains("accessToken")) {
                                throw new IllegalStateException("login failed: " + outcome.body());
                            }
                        }
                        String output = Files.readString(log);
                        System.out.printf(Locale.ROOT, "run %d %s: first login %.1f ms, warm p50 (11-30) %.1f ms | %s | %s%n",
                                run, snapStart, logins[0] / 1e6, median(Arrays.copyOfRange(logins, 10, 30)) / 1e6,
                                find(output, "at the checkpoint: "), find(output, "restore hooks took "));
                    } finally {
                        process.destroy();
                        process.waitFor();
                    }
                } finally {
                    Files.deleteIfExists(log);
                    try (var files = Files.walk(root)) {
                        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                    }
                }
            }
        }
        System.exit(0);
    }

    private static String find(String output, String marker) {
        int at = output.indexOf(marker);
        if (at < 0) {
            return "-";
        }
        int end = output.indexOf('"', at);
        return output.substring(at, end);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    /** The template's own environment (flags included), with the keys given directly, as LambdaRuntimeIT runs it. */
    static Map<String, String> environment(String endpoint, String table) {
        SamTemplate template = SamTemplate.load();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv("PATH"));
        env.putAll(LambdaRuntimeIT.templateEnvironment(template, table));
        env.remove("ACCESS_TOKEN_SECRET_ARN");
        env.remove("REFRESH_TOKEN_SECRET_ARN");
        env.remove("MFA_SECRET_ARN");
        env.put("ACCESS_TOKEN_SECRET", secret());
        env.put("REFRESH_TOKEN_SECRET", secret());
        env.put("DYNAMODB_ENDPOINT", endpoint);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_LAMBDA_FUNCTION_NAME", "token-auth-graphql");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/token-auth-graphql");
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "bench");
        env.put("_HANDLER", (String) template.properties("GraphqlFunction").get("Handler"));
        env.put("TZ", ":UTC");
        return env;
    }

    private static String secret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
