package dev.tokenauth.local;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite, an in-memory DynamoDB API server (npm), as a child process on 127.0.0.1. The child
 * ({@code src/test/dynalite/server.js}) exits when our end of its stdin closes, so it dies with this
 * JVM however this JVM dies, SIGKILL included.
 */
public final class DynaliteProcess implements AutoCloseable {

    static final Path PACKAGE_DIR = Path.of("src", "test", "dynalite");
    static final String NODE_MISSING = "DynamoDB test server needs Node.js 20+: install it "
            + "(e.g. apt-get install nodejs npm) and run `npm ci --prefix src/test/dynalite`";
    private static final String PORT_LINE = "DYNALITE_PORT=";
    private static final long START_TIMEOUT_SECONDS = 15;

    private final Process process;
    private final Thread shutdownHook;
    private final URI endpoint;

    /** Starts dynalite on any free port. */
    public DynaliteProcess() {
        this(0);
    }

    /** Starts dynalite on {@code port} (0: any free port); blocks until it listens or its start-up timeout passes. */
    public DynaliteProcess(int port) {
        Path node = findNode().orElseThrow(() -> new IllegalStateException(NODE_MISSING));
        Path base = projectBaseDir();
        Path packageDir = base.resolve(PACKAGE_DIR);
        if (!Files.isDirectory(packageDir.resolve("node_modules").resolve("dynalite"))) {
            throw new IllegalStateException("The DynamoDB test server (dynalite) is not installed in "
                    + packageDir.resolve("node_modules") + ": run `npm ci --prefix src/test/dynalite` "
                    + "(./mvnw verify does it when node_modules is missing)");
        }
        try {
            // stdin stays a pipe (the default): closing it, or our death, stops the server.
            process = new ProcessBuilder(node.toString(), packageDir.resolve("server.js").toString(),
                    Integer.toString(port))
                    .directory(base.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(NODE_MISSING + " (starting " + node + " failed: " + e.getMessage() + ")", e);
        }
        shutdownHook = new Thread(this::stop, "dynalite-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        this.endpoint = URI.create("http://127.0.0.1:" + awaitPort());
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /** Stops the server (and anything it started) and waits for it to exit. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing to remove
        }
    }

    private void stop() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads stdout on a daemon thread: completes with the port, then forwards the rest to stderr. */
    private int awaitPort() {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (!port.isDone() && line.startsWith(PORT_LINE)) {
                        port.complete(Integer.parseInt(line.substring(PORT_LINE.length()).trim()));
                    } else {
                        System.err.println("[dynalite] " + line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("its output ended"));
        }, "dynalite-output");
        reader.setDaemon(true);
        reader.start();
        String why;
        try {
            return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            why = "it printed no " + PORT_LINE + " line within " + START_TIMEOUT_SECONDS + " s";
        } catch (ExecutionException e) {
            why = e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "interrupted";
        }
        close();
        throw new IllegalStateException("The DynamoDB test server (dynalite) did not start: " + why
                + (process.isAlive() ? "" : ", exit code " + process.exitValue())
                + " (its stderr is above); try `node " + PACKAGE_DIR.resolve("server.js") + " 0` by hand");
    }

    /** {@code node} on the PATH, if any. */
    static Optional<Path> findNode() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String name : windows ? new String[] {"node.exe", "node.cmd"} : new String[] {"node"}) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The folder with pom.xml: Maven's basedir, or the nearest parent of the working directory. */
    static Path projectBaseDir() {
        String configured = System.getProperty("project.basedir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve(PACKAGE_DIR))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the project folder (pom.xml with " + PACKAGE_DIR
                + ") above " + Path.of("").toAbsolutePath() + "; set -Dproject.basedir");
    }
}
