package dev.tokenauth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Secrets Manager adapter against a loopback endpoint that receives the AWS SDK's real
 * requests and answers as the service does: what the SDK sent (operation, secret, version stage,
 * a SigV4 signature for the ARN's region) and how each answer is read.
 */
class SecretsManagerFetcherTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:access-AbCdEf";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private SecretsManagerFetcher fetcher;

    record Request(String method, String path, String target, String contentType, String authorization, JsonNode body) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        fetcher = new SecretsManagerFetcher(region -> SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local")))
                .build());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsTheCurrentVersionWithAGetSecretValueSignedForTheArnsRegion() {
        assertThat(fetcher.fetch(ARN)).isEqualTo("current key text");
        Request sent = requests.get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/");
        assertThat(sent.target()).isEqualTo("secretsmanager.GetSecretValue");
        assertThat(sent.contentType()).startsWith("application/x-amz-json-1.1");
        assertThat(sent.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDLOCAL/")
                .contains("/eu-west-1/secretsmanager/aws4_request");
        assertThat(sent.body().path("SecretId").stringValue()).isEqualTo(ARN);
        assertThat(sent.body().has("VersionStage")).as("the current version is the default").isFalse();
    }

    @Test
    void readsThePendingVersionAndTakesAMissingPreviousVersionForNone() {
        assertThat(fetcher.fetchPending(ARN)).contains("pending key text");
        assertThat(fetcher.fetchPrevious(ARN)).isEqualTo(Optional.empty());
        assertThat(requests).extracting(r -> r.body().path("VersionStage").stringValue())
                .containsExactly("AWSPENDING", "AWSPREVIOUS");
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            var headers = exchange.getRequestHeaders();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    headers.getFirst("X-Amz-Target"), headers.getFirst("Content-Type"),
                    headers.getFirst("Authorization"), body));
            String stage = body.path("VersionStage").isString() ? body.path("VersionStage").stringValue() : "AWSCURRENT";
            int status;
            Map<String, Object> answer;
            switch (stage) {
                case "AWSCURRENT", "AWSPENDING" -> {
                    status = 200;
                    answer = Map.of("ARN", ARN, "Name", "access", "VersionId", stage.toLowerCase() + "-1",
                            "SecretString", stage.equals("AWSCURRENT") ? "current key text" : "pending key text",
                            "VersionStages", List.of(stage), "CreatedDate", 1.7649e9);
                }
                default -> {
                    status = 400;
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
                    answer = Map.of("__type", "ResourceNotFoundException",
                            "Message", "Secrets Manager can't find the specified secret value for staging label: " + stage);
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

}
