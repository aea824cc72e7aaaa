package dev.tokenauth.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.tokenauth.local.DynaliteProcess;
import dev.tokenauth.local.UsersTable;

/**
 * Cold start, measured as Lambda pays it: a fresh JVM per run on the Lambda artifact's class path
 * ({@code target/lambda/app.jar} + {@code target/lambda/lib}, and the probe class), timed from just
 * before the process is started to (a) {@code FunctionInvoker} constructed, (b) the first answered
 * {@code login}, (c) the first {@code loggedInUser} with the minted token; plus the process CPU time
 * at (c) and peak RSS (VmHWM).
 * The Node peer's {@code coldstart.sh} runs in the same rounds, alternating, on the same dynalite.
 *
 * <p>System properties: {@code bench.runs} (7), {@code bench.variants} (comma-separated keys of
 * {@link #VARIANTS}), {@code bench.peer} (the peer's folder, copied to /tmp and installed once),
 * {@code bench.out} (a file that also receives the markdown table), {@code bench.extraFlags} (JVM
 * flags of the {@code extra25} variant, to measure one lever against {@code lambda25}).
 */
public final class ColdStartHarness {

    static final String LAMBDA_FLAGS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    record Variant(String key, String label, String javaHome, String flags, String trainingFlags) {
    }

    static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    static {
        String jdk17 = System.getProperty("bench.jdk17", System.getProperty("java.home"));
        String jdk25 = Jdk25.find().orElse(null); // checked when a JDK 25 variant runs
        add(new Variant("lambda25", "JDK 25, Lambda flags", jdk25, LAMBDA_FLAGS, null));
        add(new Variant("default25", "JDK 25, default flags", jdk25, "", null));
        add(new Variant("lambda17", "JDK 17, Lambda flags", jdk17, LAMBDA_FLAGS, null));
        add(new Variant("cds25", "JDK 25, Lambda flags + AppCDS (dynamic archive)", jdk25,
                LAMBDA_FLAGS + " -XX:SharedArchiveFile=target/lambda/app-25.jsa -XX:+AutoCreateSharedArchive",
                LAMBDA_FLAGS + " -XX:SharedArchiveFile=target/lambda/app-25.jsa -XX:+AutoCreateSharedArchive"));
        add(new Variant("aot25", "JDK 25, Lambda flags + AOT cache", jdk25,
                LAMBDA_FLAGS + " -XX:AOTCache=target/lambda/app-25.aot",
                LAMBDA_FLAGS + " -XX:AOTCacheOutput=target/lambda/app-25.aot"));
        // For trying one lever at a time against lambda25 in the same rounds: -Dbench.extraFlags=...
        String extra = System.getProperty("bench.extraFlags", "");
        add(new Variant("extra25", "JDK 25, Lambda flags + `" + extra + "`", jdk25, LAMBDA_FLAGS + " " + extra, null));
        // For trying a code or packaging change against lambda25 in the same rounds:
        // -Dbench.altJar=<classes of the other build>, -Dbench.altLib=<a directory of other runtime jars>
        add(new Variant("alt25", "JDK 25, Lambda flags, classes from `" + System.getProperty("bench.altJar", "app.jar")
                + "`, jars from `" + System.getProperty("bench.altLib", "lib") + "`", jdk25, LAMBDA_FLAGS, null));
        add(new Variant("peer", "Node peer (seed-node, coldstart.sh)", null, null, null));
    }

    private static void add(Variant variant) {
        VARIANTS.put(variant.key(), variant);
    }

    record Sample(double ready, double login, double loggedInUser, double cpuMs, double rssMb) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 7);
        List<Variant> variants = Arrays.stream(System.getProperty("bench.variants", "lambda25,default25,peer")
                        .split(","))
                .map(String::trim).filter(k -> !k.isEmpty())
                .map(k -> {
                    Variant v = VARIANTS.get(k);
                    if (v == null) {
                        throw new IllegalArgumentException("Unknown variant " + k + "; known: " + VARIANTS.keySet());
                    }
                    return v;
                }).toList();
        // The artifact: the application's classes (as a jar, so that CDS and the AOT cache can
        // archive them too) and the runtime jars; plus the probe, alone in its own jar.
        Path lambda = Path.of("target", "lambda");
        for (String part : List.of("app.jar", "lib", "probe.jar")) {
            if (!Files.exists(lambda.resolve(part))) {
                throw new IllegalStateException("Missing " + lambda.resolve(part) + ": run src/bench/run, which builds it");
            }
        }
        String classPath = String.join(File.pathSeparator, "target/lambda/app.jar", "target/lambda/lib/*",
                "target/lambda/probe.jar");
        String altClassPath = String.join(File.pathSeparator, System.getProperty("bench.altJar", "target/lambda/app.jar"),
                System.getProperty("bench.altLib", "target/lambda/lib") + "/*", "target/lambda/probe.jar");

        try (var dynalite = new DynaliteProcess()) {
            String endpoint = dynalite.endpoint().toString();
            String table = "bench-users";
            try (var client = UsersTable.client(dynalite.endpoint())) {
                UsersTable.create(client, table);
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("MAIN_CLASS", "dev.tokenauth.LambdaApplication");
            env.put("USERS_TABLE", table);
            env.put("DYNAMODB_ENDPOINT", endpoint);
            env.put("ACCESS_TOKEN_SECRET", randomSecret());
            env.put("REFRESH_TOKEN_SECRET", randomSecret());
            env.put("BCRYPT_COST", "10");

            // User ada, registered through the handler itself (BCrypt cost 10); also warms the page cache.
            Variant first = VARIANTS.get("lambda25");
            runProbe(first, first.flags(), classPath, env, true);

            Path peer = null;
            if (variants.stream().anyMatch(v -> v.key().equals("peer"))) {
                peer = preparePeer(endpoint);
            }
            for (Variant v : variants) {
                if (v.trainingFlags() != null) {
                    System.err.printf("training %s ...%n", v.key());
                    deleteArchives(v);
                    runProbe(v, v.trainingFlags(), classPath, env, false);
                }
            }

            Map<Variant, List<Sample>> samples = new LinkedHashMap<>();
            variants.forEach(v -> samples.put(v, new ArrayList<>()));
            for (int round = 1; round <= runs; round++) {
                for (Variant v : variants) {
                    Sample s = v.key().equals("peer") ? runPeer(peer, endpoint)
                            : runProbe(v, v.flags(), v.key().equals("alt25") ? altClassPath : classPath, env, false);
                    samples.get(v).add(s);
                    System.err.printf(Locale.ROOT, "round %d %-10s ready=%.0f login=%.0f loggedInUser=%.0f cpu=%.0f rss=%.0fMB%n",
                            round, v.key(), s.ready(), s.login(), s.loggedInUser(), s.cpuMs(), s.rssMb());
                }
            }
            String table1 = markdown(samples, runs);
            System.out.println(table1);
            String out = System.getProperty("bench.out");
            if (out != null) {
                Files.writeString(Path.of(out), table1, StandardCharsets.UTF_8);
            }
        }
    }

    static String markdown(Map<Variant, List<Sample>> samples, int runs) {
        var sb = new StringBuilder();
        sb.append("Cold start, ms from process start (median [min-max] of ").append(runs).append(" runs), CPU time and peak RSS\n\n");
        sb.append("| variant | handler ready | first `login` answered | first `loggedInUser` answered | CPU time to then | peak RSS (VmHWM) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|\n");
        for (var entry : samples.entrySet()) {
            List<Sample> list = entry.getValue();
            boolean peer = entry.getKey().key().equals("peer");
            sb.append("| ").append(entry.getKey().label()).append(" | ")
                    .append(peer ? "n/a" : stat(list, Sample::ready)).append(" | ")
                    .append(stat(list, Sample::login)).append(" | ")
                    .append(peer ? "n/a" : stat(list, Sample::loggedInUser)).append(" | ")
                    .append(peer ? "n/a" : stat(list, Sample::cpuMs)).append(" | ")
                    .append(peer ? "n/a" : String.format(Locale.ROOT, "%.0f MB", median(list.stream()
                            .mapToDouble(Sample::rssMb).toArray())))
                    .append(" |\n");
        }
        Variant peerVariant = samples.keySet().stream().filter(v -> v.key().equals("peer")).findFirst().orElse(null);
        if (peerVariant != null) {
            double peerLogin = median(samples.get(peerVariant).stream().mapToDouble(Sample::login).toArray());
            sb.append("\nRatio ours/peer, median time to first answered login (same rounds, same dynalite):\n\n");
            for (var entry : samples.entrySet()) {
                if (entry.getKey() != peerVariant) {
                    double ours = median(entry.getValue().stream().mapToDouble(Sample::login).toArray());
                    sb.append(String.format(Locale.ROOT, "- %s: %.0f / %.0f ms = **%.2f**%n",
                            entry.getKey().label(), ours, peerLogin, ours / peerLogin));
                }
            }
        }
        return sb.toString();
    }

    private static String stat(List<Sample> list, java.util.function.ToDoubleFunction<Sample> f) {
        double[] values = list.stream().mapToDouble(f).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f [%.0f-%.0f]", median(values), values[0], values[values.length - 1]);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Sample runProbe(Variant v, String flags, String classPath, Map<String, String> env,
                                   boolean register) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (v.javaHome() == null) {
            throw new IllegalStateException(Jdk25.NOT_FOUND);
        }
        command.add(Path.of(v.javaHome(), "bin", "java").toString());
        if (!flags.isBlank()) {
            command.addAll(Arrays.asList(flags.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath, ColdStartProbe.class.getName(), "events"));
        if (register) {
            command.add("register");
        }
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        long start = System.currentTimeMillis();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("probe failed (" + v.key() + "):\n" + output);
        }
        if (register) {
            return null;
        }
        String line = output.lines().filter(l -> l.startsWith("PROBE ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("probe printed no result:\n" + output));
        Map<String, Long> values = new LinkedHashMap<>();
        for (String part : line.substring(6).split(" ")) {
            String[] kv = part.split("=");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return new Sample(values.get("ready") - start, values.get("login") - start,
                values.get("loggedInUser") - start, values.get("cpuMs"), values.get("vmhwmKb") / 1024.0);
    }

    private static void deleteArchives(Variant v) throws IOException {
        for (String part : v.trainingFlags().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0 && (part.startsWith("-XX:SharedArchiveFile") || part.startsWith("-XX:AOTCacheOutput"))) {
                Files.deleteIfExists(Path.of(part.substring(eq + 1)));
            }
        }
    }

    private static Path preparePeer(String endpoint) throws IOException, InterruptedException {
        Path source = Path.of(System.getProperty("bench.peer", "/work/shared/peers/seed-node"));
        Path copy = Path.of("/tmp/seed-node");
        if (!Files.isDirectory(copy.resolve("node_modules"))) {
            exec(null, "cp", "-r", source + "/.", copy.toString());
            exec(copy, "npm", "ci", "--no-audit", "--no-fund");
        }
        var builder = new ProcessBuilder("node", "setup.js").directory(copy.toFile()).redirectErrorStream(true);
        builder.environment().put("DYNAMODB_ENDPOINT", endpoint);
        run(builder, "peer setup.js");
        return copy;
    }

    private static Sample runPeer(Path peer, String endpoint) throws IOException, InterruptedException {
        var builder = new ProcessBuilder("timeout", "60", "bash", "coldstart.sh").directory(peer.toFile());
        builder.environment().put("DYNAMODB_ENDPOINT", endpoint);
        String output = run(builder, "peer coldstart.sh").trim();
        String last = output.lines().reduce((a, b) -> b).orElse("");
        double ms = Double.parseDouble(last.trim());
        return new Sample(Double.NaN, ms, Double.NaN, Double.NaN, Double.NaN);
    }

    private static void exec(Path dir, String... command) throws IOException, InterruptedException {
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        run(builder, String.join(" ", command));
    }

    private static String run(ProcessBuilder builder, String what) throws IOException, InterruptedException {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(what + " failed:\n" + output);
        }
        return output;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
