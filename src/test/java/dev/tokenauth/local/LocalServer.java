package dev.tokenauth.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenauth.LambdaApplication;
import dev.tokenauth.TestLambdaContext;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.DpopSettings;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the Lambda handler behind a local HTTP server: each HTTP request becomes the API Gateway
 * REST proxy event API Gateway would send, goes through the same {@link FunctionInvoker}, and the
 * response event becomes the HTTP response. Unless {@code DYNAMODB_ENDPOINT} is set it starts an
 * in-memory DynamoDB (dynalite) with the users table; everything stops with Ctrl-C.
 */
public final class LocalServer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FunctionInvoker invoker;

    private LocalServer(FunctionInvoker invoker) {
        this.invoker = invoker;
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(env("PORT", "8080"));
        String table = env(AppConfig.USERS_TABLE, "users");
        String endpoint = System.getenv(AppConfig.DYNAMODB_ENDPOINT);
        if (endpoint == null || endpoint.isBlank()) {
            var dynalite = new DynaliteProcess();
            endpoint = dynalite.endpoint().toString();
            System.setProperty(AppConfig.DYNAMODB_ENDPOINT, endpoint);
            try (var client = UsersTable.client(dynalite.endpoint())) {
                UsersTable.create(client, table);
                // The modules' tables, under the names their settings give (or the setting's name, lower case).
                ModuleTables.createAll(client, setting -> env(setting, setting.toLowerCase(java.util.Locale.ROOT)));
            }
            System.out.println("In-memory DynamoDB (dynalite) at " + endpoint + ", table '" + table + "'");
        }
        System.setProperty(AppConfig.USERS_TABLE, table);
        for (String secret : List.of(AppConfig.ACCESS_TOKEN_SECRET, AppConfig.REFRESH_TOKEN_SECRET)) {
            if (System.getenv(secret) == null) {
                // Local convenience only: tokens die with the process. Lambda never takes this path.
                System.setProperty(secret, randomSecret());
                System.out.println(secret + " not set: using a random one for this run");
            }
        }
        System.setProperty("MAIN_CLASS", LambdaApplication.class.getName());
        if (System.getenv(DpopSettings.DPOP_URL) == null) {
            // What this server listens on: DPoP proofs name the URL the client called.
            System.setProperty(DpopSettings.DPOP_URL, "http://127.0.0.1:" + port + "/graphql");
        }

        var server = new LocalServer(new FunctionInvoker());
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        http.createContext("/", server::handle);
        http.setExecutor(Executors.newFixedThreadPool(8));
        http.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> http.stop(0)));

        String url = "http://localhost:" + port + "/graphql";
        System.out.println();
        System.out.println("GraphQL endpoint: " + url + "   (Ctrl-C stops everything)");
        System.out.println("Try:");
        System.out.println("  curl -s " + url + " -H 'content-type: application/json' \\");
        System.out.println("    -d '{\"query\":\"mutation { register(username: \\\"ada\\\", password: \\\"correct horse battery staple\\\") { accessToken refreshToken } }\"}'");
        System.out.println("  # then send both tokens on every request, and keep the newest pair (README.md, \"Try it\"):");
        System.out.println("  curl -s " + url + " -H 'content-type: application/json' \\");
        System.out.println("    -H \"x-access-token: $ACCESS\" -H \"x-refresh-token: $REFRESH\" \\");
        System.out.println("    -d '{\"query\":\"{ loggedInUser { id username } }\"}'");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readNBytes(8 * 1024 * 1024);
            var out = new ByteArrayOutputStream();
            String requestId = UUID.randomUUID().toString();
            invoker.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event(exchange, body, requestId))),
                    out, new TestLambdaContext(requestId));
            JsonNode response = JSON.readTree(out.toByteArray());
            response.path("headers").properties().forEach(header ->
                    exchange.getResponseHeaders().add(header.getKey(), header.getValue().asString()));
            int status = response.path("statusCode").asInt(502);
            byte[] responseBody = response.path("body").asString("").getBytes(StandardCharsets.UTF_8);
            boolean empty = responseBody.length == 0;
            exchange.sendResponseHeaders(status, empty ? -1 : responseBody.length);
            if (!empty) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(responseBody);
                }
            }
        }
    }

    /** The API Gateway REST API proxy event (payload 1.0) for this request. */
    private static Map<String, Object> event(HttpExchange exchange, byte[] body, String requestId) {
        URI uri = exchange.getRequestURI();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multiHeaders.put(name, values);
        });
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, List<String>> multiQuery = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                String name = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
                String value = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
                query.put(name, value);
                multiQuery.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        Map<String, Object> requestContext = new LinkedHashMap<>();
        requestContext.put("requestId", requestId);
        requestContext.put("stage", "local");
        requestContext.put("httpMethod", exchange.getRequestMethod());
        requestContext.put("path", uri.getPath());
        requestContext.put("identity", Map.of("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress()));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", uri.getPath());
        event.put("path", uri.getPath());
        event.put("httpMethod", exchange.getRequestMethod());
        event.put("headers", headers);
        event.put("multiValueHeaders", multiHeaders);
        event.put("queryStringParameters", query.isEmpty() ? null : query);
        event.put("multiValueQueryStringParameters", multiQuery.isEmpty() ? null : multiQuery);
        event.put("requestContext", requestContext);
        // Like API Gateway without binary media types: the body as text.
        event.put("body", body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
        event.put("isBase64Encoded", false);
        return event;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
