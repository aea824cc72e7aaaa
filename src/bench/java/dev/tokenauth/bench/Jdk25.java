package dev.tokenauth.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JDK 25 the benchmarks run the function on, since Lambda runs it on java25: the
 * {@code bench.jdk25} property or the {@code JDK25} variable if set, else the newest
 * {@code /usr/lib/jvm/*} whose {@code java -version} says 25, else {@code java} on the PATH if it
 * is a 25. Found, not named, so the benchmarks run wherever a JDK 25 is installed.
 */
public final class Jdk25 {

    static final String NOT_FOUND = "No JDK 25 found: set JDK25 (or -Dbench.jdk25) to its home, "
            + "install one under /usr/lib/jvm, or put its java first on the PATH";

    private static final Pattern VERSION = Pattern.compile("version \"(25(?:[.\\d]*))");

    private Jdk25() {
    }

    /** The home of a JDK 25, or a clear failure naming how to provide one. */
    public static String home() {
        return find().orElseThrow(() -> new IllegalStateException(NOT_FOUND));
    }

    /** The home of a JDK 25, if one is configured or installed. */
    public static Optional<String> find() {
        String configured = System.getProperty("bench.jdk25", System.getenv("JDK25"));
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        List<Path> candidates = new ArrayList<>();
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.map(home -> home.resolve("bin").resolve("java")).filter(Files::isExecutable).forEach(candidates::add);
            } catch (IOException e) {
                // An unreadable directory holds no candidate; the PATH may still have one.
            }
        }
        Optional<Path> installed = candidates.stream()
                .flatMap(java -> version(java).map(v -> new Found(java, v)).stream())
                .max(Comparator.comparing(Found::version, Jdk25::compareVersions))
                .map(Found::java);
        return installed.or(Jdk25::onPath)
                .map(java -> java.toAbsolutePath().getParent().getParent().toString());
    }

    private record Found(Path java, String version) {
    }

    private static Optional<Path> onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path java = Path.of(dir.isEmpty() ? "." : dir, "java");
            if (Files.isExecutable(java)) {
                try {
                    Path real = java.toRealPath();
                    return version(real).map(v -> real);
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The full version when {@code java -version} reports a 25. */
    private static Optional<String> version(Path java) {
        try {
            Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            Matcher matcher = VERSION.matcher(output);
            return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int left = i < x.length && !x[i].isEmpty() ? Integer.parseInt(x[i]) : 0;
            int right = i < y.length && !y[i].isEmpty() ? Integer.parseInt(y[i]) : 0;
            if (left != right) {
                return Integer.compare(left, right);
            }
        }
        return 0;
    }

    /** Prints the home, for src/bench/run; exits 1 with the message when there is none. */
    public static void main(String[] args) {
        Optional<String> home = find();
        if (home.isEmpty()) {
            System.err.println(NOT_FOUND);
            System.exit(1);
        }
        System.out.println(home.get());
    }
}
