package dev.tokenauth.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.tokenauth.Event;
import dev.tokenauth.LambdaHarness;
import dev.tokenauth.TestLambdaContext;
import dev.tokenauth.token.TokenSettings;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The authorizer of other routes end to end: it reads the JWKS over HTTP from the function (the
 * real FunctionInvoker behind a loopback server) and admits the access token that function issued.
 */
class AccessTokenAuthorizerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void admitsAnAccessTokenOfTheFunctionThroughItsJwksAndRefusesItsRefreshToken() throws IOException {
        LambdaHarness lambda = LambdaHarness.get();
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/prod/.well-known/jwks.json", exchange -> {
            try (exchange) {
                served.incrementAndGet();
                byte[] body = lambda.invoke(Event.load("jwks.json")).body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            URI jwks = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod/.well-known/jwks.json");
            var authorizer = new AccessTokenAuthorizer(new JwksSource(JwksSource.http(jwks), LambdaHarness.ISSUER,
                    TokenSettings.DEFAULT_AUDIENCE, Clock.systemUTC()));
            String name = "other-route-" + UUID.randomUUID().toString().substring(0, 8);
            JsonNode tokens = lambda.invoke(Event.load("register.json")
                    .variables(Map.of("username", name, "password", "correct horse battery staple"))).data("register");

            JsonNode allowed = invoke(authorizer, "Bearer " + tokens.path("accessToken").stringValue());
            assertThat(allowed.path("context").path("username").stringValue()).isEqualTo(name);
            assertThat(allowed.path("policyDocument").path("Statement").get(0).path("Effect").stringValue())
                    .isEqualTo("Allow");
            assertThat(served).hasValue(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                    invoke(authorizer, "Bearer " + tokens.path("refreshToken").stringValue()))
                    .hasMessage(AccessTokenAuthorizer.UNAUTHORIZED);
        } finally {
            server.stop(0);
        }
    }

    private static JsonNode invoke(AccessTokenAuthorizer authorizer, String authorization) throws IOException {
        var event = JSON.createObjectNode().put("type", "TOKEN").put("authorizationToken", authorization)
                .put("methodArn", "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/hello");
        var out = new ByteArrayOutputStream();
        authorizer.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), out,
                new TestLambdaContext(UUID.randomUUID().toString()));
        return JSON.readTree(out.toByteArray());
    }
}
