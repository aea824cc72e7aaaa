package dev.tokenauth.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The Lambda Runtime API (2018-06-01) on localhost, as the Lambda service serves it to the runtime
 * client: the client long-polls for the next invocation and posts back a response or an error;
 * init, restore and their errors are recorded too.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime";

    private final HttpServer server;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    final List<String> initErrors = new CopyOnWriteArrayList<>();
    final List<String> restoreErrors = new CopyOnWriteArrayList<>();
    volatile boolean restoreRequested;
    /** How many times the runtime client has asked for the next invocation: it is idle while one is open. */
    final AtomicInteger nextRequests = new AtomicInteger();

    record Invocation(String requestId, byte[] event) {
    }

    /** What the function answered: a response payload, or an error report. */
    record Outcome(boolean error, String body) {
    }

    RuntimeApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext(PREFIX, this::handle);
        server.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "runtime-api");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues one event and waits for the function's answer, giving up early if the runtime dies. */
    Outcome invoke(byte[] event, Duration timeout, BooleanSupplier runtimeAlive) throws Exception {
        return invoke(UUID.randomUUID().toString(), event, timeout, runtimeAlive);
    }

    /** {@link #invoke(byte[], Duration, BooleanSupplier)} under a Lambda request id of the caller's choosing. */
    Outcome invoke(String requestId, byte[] event, Duration timeout, BooleanSupplier runtimeAlive) throws Exception {
        var outcome = new CompletableFuture<Outcome>();
        outcomes.put(requestId, outcome);
        pending.add(new Invocation(requestId, event));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return outcome.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!runtimeAlive.getAsBoolean()) {
                    throw new AssertionError("the runtime client exited without answering; init errors: " + initErrors);
                }
            }
        }
        throw new AssertionError("no answer within " + timeout + "; init errors: " + initErrors);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("/invocation/next")) {
                nextRequests.incrementAndGet();
                Invocation next = pending.take();
                var headers = exchange.getResponseHeaders();
                // The runtime client's native code reads this header unchecked: always send it.
                headers.add("Content-Type", "application/json");
                headers.add("Lambda-Runtime-Aws-Request-Id", next.requestId());
                headers.add("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + 30_000));
                headers.add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:123456789012:function:token-auth-graphql:live");
                headers.add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                respond(exchange, 200, next.event());
            } else if (method.equals("POST") && path.startsWith("/invocation/")) {
                String[] parts = path.split("/");
                String text = new String(body, StandardCharsets.UTF_8);
                var outcome = outcomes.remove(parts[2]);
                if (outcome != null) {
                    outcome.complete(new Outcome(parts[3].equals("error"), text));
                }
                respond(exchange, 202, new byte[0]);
            } else if (method.equals("POST") && path.equals("/init/error")) {
                initErrors.add(new String(body, StandardCharsets.UTF_8));
                respond(exchange, 202, new byte[0]);
            } else if (method.equals("GET") && path.equals("/restore/next")) {
                restoreRequested = true;
                respond(exchange, 200, new byte[0]);
            } else if (method.equals("POST") && path.equals("/restore/error")) {
                restoreErrors.add(new String(body, StandardCharsets.UTF_8));
                respond(exchange, 202, new byte[0]);
            } else {
                respond(exchange, 404, new byte[0]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
