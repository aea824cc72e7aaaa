package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.Components;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.local.DynaliteProcess;
import dev.tokenauth.local.UsersTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.JsonNode;

/**
 * DynamoDB goes away and comes back: the handler (built as the application builds it, with a
 * client of short timeouts and no retries) answers 503 SERVICE_UNAVAILABLE without a stack trace
 * while it is down, leaves nothing half-written, and works again with the next request.
 */
class DynamoUnavailableIT {

    private static final String TABLE = "users";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String REGISTER = "mutation($u: String!, $p: String!) { register(username: $u, password: $p) "
            + "{ accessToken refreshToken } }";
    private static final String LOGIN = "mutation($u: String!, $p: String!) { login(username: $u, password: $p) "
            + "{ accessToken refreshToken } }";

    @Test
    void anOutageGives503AndTheNextRequestAfterItWorks() {
        DynaliteProcess dynalite = new DynaliteProcess();
        int port = dynalite.endpoint().getPort();
        try (DynamoDbClient dynamo = quickClient(dynalite.endpoint())) {
            UsersTable.create(dynamo, TABLE);
            GraphqlHttpHandler handler = Components.build(config(), dynamo, Clock.systemUTC(), List.of()).handler();

            JsonNode registered = json(call(handler, REGISTER, Map.of("u", "ada", "p", PASSWORD), null));
            String refreshToken = registered.path("data").path("register").path("refreshToken").stringValue();
            assertThat(refreshToken).isNotBlank();

            dynalite.close();
            for (var attempt : Map.of(
                    "login", post(LOGIN, Map.of("u", "ada", "p", PASSWORD), null),
                    "register", post(REGISTER, Map.of("u", "grace", "p", PASSWORD), null),
                    "refresh", post("{ loggedInUser { username } }", Map.of(), refreshToken)).entrySet()) {
                APIGatewayProxyResponseEvent response = handler.apply(attempt.getValue());
                assertThat(response.getStatusCode()).as(attempt.getKey()).isEqualTo(503);
                assertThat(json(response).path("errors").path(0).path("extensions").path("code").stringValue())
                        .as(attempt.getKey()).isEqualTo("SERVICE_UNAVAILABLE");
                assertThat(response.getBody())
                        .as(attempt.getKey()).doesNotContain("Exception", "\tat ", "dynamodb", "DynamoDb");
                assertThat(response.getHeaders()).as(attempt.getKey()).doesNotContainKeys("x-access-token");
            }

            // Same port, a fresh in-memory server: the table has to be made again.
            dynalite = new DynaliteProcess(port);
            UsersTable.create(dynamo, TABLE);
            assertThat(dynamo.scan(r -> r.tableName(TABLE)).items()).as("nothing written during the outage").isEmpty();

            JsonNode grace = json(call(handler, REGISTER, Map.of("u", "grace", "p", PASSWORD), null));
            assertThat(grace.path("data").path("register").path("accessToken").stringValue()).isNotBlank();
            JsonNode login = json(call(handler, LOGIN, Map.of("u", "grace", "p", PASSWORD), null));
            assertThat(login.path("data").path("login").path("accessToken").stringValue()).isNotBlank();
            // One user; the registration also left its source address's counter.
            assertThat(dynamo.scan(r -> r.tableName(TABLE)).items()).filteredOn(item -> item.containsKey("userId"))
                    .hasSize(1);
        } finally {
            dynalite.close();
        }
    }

    /** What Components.dynamoDbClient builds for a local endpoint, with short timeouts and no retries. */
    private static DynamoDbClient quickClient(URI endpoint) {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofMillis(500))
                        .socketTimeout(Duration.ofSeconds(2))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)).apiCallTimeout(Duration.ofSeconds(3)))
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    private static AppConfig config() {
        Map<String, String> env = Map.of(
                AppConfig.USERS_TABLE, TABLE,
                AppConfig.ACCESS_TOKEN_SECRET, "access-secret-for-the-outage-test-0123456789",
                AppConfig.REFRESH_TOKEN_SECRET, "refresh-secret-for-the-outage-test-0123456789");
        return AppConfig.load(env::get);
    }

    private static APIGatewayProxyRequestEvent post(String query, Map<String, Object> variables, String refreshToken) {
        var headers = new java.util.HashMap<String, String>(Map.of("Content-Type", "application/json"));
        if (refreshToken != null) {
            headers.put("x-refresh-token", refreshToken);
        }
        return new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/graphql").withHeaders(headers)
                .withBody(Event.JSON.writeValueAsString(Map.of("query", query, "variables", variables)))
                .withIsBase64Encoded(false);
    }

    private static APIGatewayProxyResponseEvent call(GraphqlHttpHandler handler, String query,
                                                     Map<String, Object> variables, String refreshToken) {
        APIGatewayProxyResponseEvent response = handler.apply(post(query, variables, refreshToken));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return response;
    }

    private static JsonNode json(APIGatewayProxyResponseEvent response) {
        return Event.JSON.readTree(response.getBody());
    }
}
