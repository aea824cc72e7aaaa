package dev.tokenauth.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite, an in-memory DynamoDB API server (npm), as a child process on a free port. The child
 * exits when our end of its stdin closes, so it dies with this JVM however this JVM dies.
 */
public final class DynaliteProcess implements AutoCloseable {

    static final Path PACKAGE_DIR = Path.of("src", "test", "dynalite");
    private static final String PORT_LINE = "DYNALITE_PORT=";

    private final Process process;
    private final URI endpoint;

    public DynaliteProcess() {
        Path base = projectBaseDir();
        Path packageDir = base.resolve(PACKAGE_DIR);
        if (!Files.isDirectory(packageDir.resolve("node_modules").resolve("dynalite"))) {
            throw new IllegalStateException("The DynamoDB test server (dynalite) is not installed: run "
                    + "`npm ci --prefix src/test/dynalite` (./mvnw does it when node_modules is missing)");
        }
        try {
            process = new ProcessBuilder("node", packageDir.resolve("server.js").toString(), "0")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("The DynamoDB test server needs Node.js 20 or newer on the PATH: "
                    + "install it (for example `apt-get install nodejs npm`), then run "
                    + "`npm ci --prefix src/test/dynalite`", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        this.endpoint = URI.create("http://127.0.0.1:" + awaitPort());
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int awaitPort() {
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith(PORT_LINE)) {
                        return Integer.parseInt(line.substring(PORT_LINE.length()).trim());
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        });
        try {
            int value = port.get(15, TimeUnit.SECONDS);
            if (value > 0) {
                drain(reader);
                return value;
            }
        } catch (ExecutionException | TimeoutException e) {
            // reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        throw new IllegalStateException("dynalite did not start (see its output above); check "
                + "`node " + PACKAGE_DIR.resolve("server.js") + " 0` by hand");
    }

    /** Keeps reading the child's output so it never blocks on a full pipe. */
    private static void drain(BufferedReader reader) {
        Thread drainer = new Thread(() -> {
            try {
                while (reader.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "dynalite-output");
        drainer.setDaemon(true);
        drainer.start();
    }

    /** The folder with pom.xml: Maven's basedir, or the nearest parent of the working directory. */
    static Path projectBaseDir() {
        String configured = System.getProperty("project.basedir");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve(PACKAGE_DIR))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the project folder (pom.xml with " + PACKAGE_DIR
                + ") above " + Path.of("").toAbsolutePath());
    }
}
