package dev.tokenauth.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's first command, minus Maven: {@link LocalServer} in a process of its own, with its
 * own in-memory DynamoDB, answering real HTTP requests the way a client sends them.
 */
class LocalServerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "local server passphrase";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesGraphqlOverPlainHttp() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("local-server-", ".log");
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalServer.class.getName())
                .directory(DynaliteProcess.projectBaseDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().remove("DYNAMODB_ENDPOINT");
        builder.environment().remove("ACCESS_TOKEN_SECRET");
        builder.environment().remove("REFRESH_TOKEN_SECRET");
        Process server = builder.start();
        try {
            awaitReady(server, log);
            URI graphql = URI.create("http://127.0.0.1:" + port + "/graphql");

            var registered = post(graphql, "{\"query\":\"mutation { register(username: \\\"ada\\\", password: "
                    + "\\\"" + PASSWORD + "\\\") { accessToken refreshToken } }\"}", null);
            assertThat(registered.statusCode()).isEqualTo(200);
            String accessToken = JSON.readTree(registered.body()).path("data").path("register").path("accessToken")
                    .stringValue();
            assertThat(accessToken).isNotBlank();

            var me = post(graphql, "{\"query\":\"{ loggedInUser { username } }\"}", accessToken);
            assertThat(JSON.readTree(me.body()).path("data").path("loggedInUser").path("username").stringValue())
                    .isEqualTo("ada");
            assertThat(me.headers().firstValue("access-control-expose-headers")).hasValue("x-access-token,x-refresh-token,dpop-nonce,www-authenticate,date");

            var preflight = http.send(HttpRequest.newBuilder(graphql).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);

            var wrongType = http.send(HttpRequest.newBuilder(graphql).header("content-type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrongType.statusCode()).isEqualTo(415);
            assertThat(Files.readString(log)).doesNotContain(accessToken, PASSWORD);
        } finally {
            server.destroy();
            server.waitFor();
            Files.deleteIfExists(log);
        }
    }

    private HttpResponse<String> post(URI uri, String body, String accessToken) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accessToken != null) {
            request.header("x-access-token", accessToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(Process server, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("GraphQL endpoint")) {
                return;
            }
            if (!server.isAlive()) {
                throw new AssertionError("the local server exited:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the local server did not start:\n" + Files.readString(log));
    }
}
