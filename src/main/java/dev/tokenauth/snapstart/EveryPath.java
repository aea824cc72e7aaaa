package dev.tokenauth.snapstart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.Components;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.module.ModuleFactory;
import dev.tokenauth.user.User;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.utilslite.SdkInternalThreadLocal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every path a first request takes, run once before the snapshot so that no request after a
 * restore loads them: an account's whole life, from registration to deletion, through the
 * handler. It runs on a graph of its own, built like the function's: its users-table keys are
 * reserved ones no user can have ({@link ReservedKeys}), removed afterwards; its security events
 * and metric lines go nowhere; its clock is its own, moved forward to expire an access token and
 * pass the refresh grace window. The function's own graph and the table a user sees are untouched.
 */
final class EveryPath {

    /** Where the runtime client puts an invocation's trace id for the SDK. */
    private static final String TRACE_ID_KEY = "AWS_LAMBDA_X_TRACE_ID";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PASSWORD = "snapstart-priming-password";
    private static final String NEW_PASSWORD = "snapstart-priming-password-2";
    private static final String WRONG_PASSWORD = "snapstart-priming-wrong";
    private static final String TOKENS = "{ accessToken refreshToken deviceToken }";
    private static final String LOGIN = "mutation ($u: String!, $p: String!, $d: String) { login(username: $u, "
            + "password: $p, deviceToken: $d) " + TOKENS + " }";
    private static final String ME = "{ loggedInUser { id username createdAt roles } sessions { id createdAt "
            + "lastUsedAt label current } }";

    /** What a run did: requests sent, those answered 5xx or unreadable, items removed afterwards. */
    record Outcome(int requests, List<String> unexpected, int removed) {
    }

    private final Components graph;
    private final GraphqlHttpHandler handler;
    private final ReservedKeys keys;
    private final DynamoDbClient dynamo;
    private final String table;
    private final OwnClock clock;
    private final Duration accessTtl;
    private final Duration refreshGrace;
    private final List<String> unexpected = new ArrayList<>();
    private final String name = "priming-" + HexFormat.of().formatHex(randomBytes(8));
    private int requests;
    private int removed;

    private EveryPath(AppConfig config, List<ModuleFactory> modules, DynamoDbClient dynamo) {
        this.dynamo = dynamo;
        this.table = config.usersTable();
        this.clock = new OwnClock();
        this.keys = new ReservedKeys(dynamo, table, clock.instant().plus(Duration.ofDays(1)));
        this.graph = Components.build(config, keys, clock, modules, line -> { });
        this.handler = graph.handler();
        this.accessTtl = config.tokens().accessTtl();
        this.refreshGrace = config.accounts().sessions().refreshGrace();
    }

    /**
     * Runs every path with its own DynamoDB client, closed afterwards, so that no connection of
     * the priming is open in the snapshot.
     */
    static Outcome run(AppConfig config, List<ModuleFactory> modules) {
        // On Lambda every invocation has a trace id, which the SDK sends with each call: so does the priming.
        SdkInternalThreadLocal.put(TRACE_ID_KEY, "Root=1-00000000-000000000000000000000000;Sampled=0");
        try (DynamoDbClient dynamo = Components.dynamoDbClient(config)) {
            var paths = new EveryPath(config, modules, dynamo);
            try {
                paths.account();
                paths.moduleReads();
            } finally {
                paths.removed = paths.keys.removeWritten();
            }
            return new Outcome(paths.requests, paths.unexpected, paths.removed);
        } finally {
            SdkInternalThreadLocal.remove(TRACE_ID_KEY);
        }
    }

    private void account() {
        JsonNode registered = graphql("register", null, null, "mutation ($u: String!, $p: String!) { register("
                + "username: $u, password: $p) { accessToken refreshToken } }", Map.of("u", name, "p", PASSWORD));
        if (!registered.path("data").path("register").isObject()) {
            // Registration closed: the user is written as registration would write it.
            graph.users().create(new User(UUID.randomUUID().toString(), name, graph.hasher().hash(PASSWORD), 0,
                    Map.of(), clock.instant(), 0));
        }
        // Two failures: the second loses the counter's compare-and-set to the first's item.
        login(WRONG_PASSWORD, null);
        login(WRONG_PASSWORD, null);
        JsonNode first = login(PASSWORD, null).path("data").path("login");
        JsonNode device = login(PASSWORD, first.path("deviceToken").asString(null)).path("data").path("login");
        String access = first.path("accessToken").asString(null);
        String refresh = first.path("refreshToken").asString(null);

        graphql("typename", access, null, "{ __typename }", null);
        JsonNode sessions = graphql("live query", access, null, ME, null).path("data").path("sessions");
        for (JsonNode session : sessions) {
            if (!session.path("current").asBoolean()) {
                graphql("revokeSession", access, null, "mutation ($id: ID!) { revokeSession(id: $id) }",
                        Map.of("id", session.path("id").asString()));
            }
        }
        graphql("validation error", access, null, "{ loggedInUser { noSuchField } }", null);
        graphql("anonymous live query", null, null, ME, null);

        // The access token expires: the refresh token answers, with a rotation.
        clock.advance(accessTtl.plusSeconds(1));
        APIGatewayProxyResponseEvent rotated = send("refresh", access, refresh, ME, null);
        String nextAccess = header(rotated, GraphqlHttpHandler.ACCESS_TOKEN_HEADER);
        // The replaced refresh token again: within the grace window the same pair, after it a replay.
        send("refresh within the grace window", null, refresh, "{ loggedInUser { id } }", null);
        clock.advance(refreshGrace.plusSeconds(1));
        send("refresh reuse", null, refresh, "{ loggedInUser { id } }", null);
        graphql("revoked access token", nextAccess, null, ME, null);

        JsonNode again = login(PASSWORD, device.path("deviceToken").asString(null)).path("data").path("login");
        JsonNode changed = graphql("changePassword", again.path("accessToken").asString(null), null,
                "mutation ($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) " + TOKENS
                        + " }", Map.of("o", PASSWORD, "n", NEW_PASSWORD)).path("data").path("changePassword");
        graphql("logout", changed.path("accessToken").asString(null), null, "mutation { logout }", null);

        JsonNode last = graphql("login", null, null, LOGIN, Map.of("u", name, "p", NEW_PASSWORD))
                .path("data").path("login");
        String lastRefresh = last.path("refreshToken").asString(null);
        clock.advance(accessTtl.plusSeconds(1));
        graphql("logout through the refresh token", null, lastRefresh, "mutation { logout }", null);
        JsonNode other = graphql("login", null, null, LOGIN, Map.of("u", name, "p", NEW_PASSWORD))
                .path("data").path("login");
        graphql("logoutEverywhere", other.path("accessToken").asString(null), null, "mutation { logoutEverywhere }",
                null);
        JsonNode doomed = graphql("login", null, null, LOGIN, Map.of("u", name, "p", NEW_PASSWORD))
                .path("data").path("login");
        graphql("deleteAccount", doomed.path("accessToken").asString(null), null,
                "mutation ($p: String!) { deleteAccount(password: $p) }", Map.of("p", NEW_PASSWORD));
    }

    /** A module's list read: a Query, page by page, of a reserved key that holds nothing. */
    private void moduleReads() {
        dynamo.queryPaginator(request -> request.tableName(table)
                        .keyConditionExpression("#key = :key")
                        .expressionAttributeNames(Map.of("#key", DynamoUserRepository.PARTITION_KEY))
                        .expressionAttributeValues(Map.of(":key", AttributeValue.fromS(keys.reserved(name))))
                        .consistentRead(true))
                .items().forEach(item -> unexpected.add("a reserved key holds an item"));
    }

    private JsonNode login(String password, String deviceToken) {
        var variables = new LinkedHashMap<String, Object>();
        variables.put("u", name);
        variables.put("p", password);
        variables.put("d", deviceToken);
        return graphql("login", null, null, LOGIN, variables);
    }

    private JsonNode graphql(String step, String access, String refresh, String query, Map<String, Object> variables) {
        APIGatewayProxyResponseEvent response = send(step, access, refresh, query, variables);
        try {
            return JSON.readTree(response.getBody() == null ? "{}" : response.getBody());
        } catch (RuntimeException e) {
            unexpected.add(step + ": unreadable body");
            return JSON.createObjectNode();
        }
    }

    private APIGatewayProxyResponseEvent send(String step, String access, String refresh, String query,
                                              Map<String, Object> variables) {
        var body = new LinkedHashMap<String, Object>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");
        headers.put("User-Agent", "snapstart-priming");
        if (access != null) {
            headers.put(GraphqlHttpHandler.ACCESS_TOKEN_HEADER, access);
        }
        if (refresh != null) {
            headers.put(GraphqlHttpHandler.REFRESH_TOKEN_HEADER, refresh);
        }
        var multiValue = new LinkedHashMap<String, List<String>>();
        headers.forEach((header, value) -> multiValue.put(header, List.of(value)));
        var event = new LinkedHashMap<String, Object>();
        event.put("resource", "/graphql");
        event.put("path", "/graphql");
        event.put("httpMethod", "POST");
        event.put("headers", headers);
        event.put("multiValueHeaders", multiValue);
        event.put("requestContext", Map.of("requestId", "snapstart-priming-" + (++requests), "stage", "priming",
                "identity", Map.of("sourceIp", "192.0.2.1", "userAgent", "snapstart-priming")));
        event.put("body", JSON.writeValueAsString(body));
        event.put("isBase64Encoded", false);
        APIGatewayProxyResponseEvent response = handler.applyRaw(JSON.writeValueAsBytes(event));
        Integer status = response.getStatusCode();
        if (status == null || status >= 500) {
            unexpected.add(step + ": " + status);
        }
        return response;
    }

    private static String header(APIGatewayProxyResponseEvent response, String name) {
        return response.getHeaders() == null ? null : response.getHeaders().get(name);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** The system clock, moved forward by the priming only. */
    private static final class OwnClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration by) {
            offset = offset.plus(by);
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
