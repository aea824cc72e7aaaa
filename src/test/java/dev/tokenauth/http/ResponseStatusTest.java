package dev.tokenauth.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.graphql.GraphqlEngine;
import dev.tokenauth.graphql.GraphqlLimits;
import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.session.TokenMiddleware;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenSettings;
import dev.tokenauth.user.UserStoreUnavailableException;
import graphql.schema.idl.RuntimeWiring;
import org.junit.jupiter.api.Test;

/**
 * The status of a response with field errors: a failing field beside other fields' data is a 200
 * (GraphQL's partial result); only a response with no data at all is a 500, or a 503 for the store.
 */
class ResponseStatusTest {

    private final GraphqlModule module = new GraphqlModule() {
        @Override
        public List<String> schemaResources() {
            return List.of("graphql/engine-test.graphqls");
        }

        @Override
        public void wire(RuntimeWiring.Builder wiring) {
            wiring.type("Query", type -> type
                    .dataFetcher("open", env -> "open")
                    .dataFetcher("broken", env -> {
                        throw new IllegalStateException("a bug");
                    })
                    .dataFetcher("refused", env -> {
                        throw new UserStoreUnavailableException("DynamoDB GetItem failed", null);
                    }));
        }
    };

    private final TokenService tokens = new TokenService(new TokenSettings("test", key('a'), key('r'),
            Duration.ofMinutes(15), Duration.ofDays(7)), Clock.systemUTC());
    private final GraphqlHttpHandler handler = new GraphqlHttpHandler(
            // No token is sent, so the middleware never asks the account service.
            new TokenMiddleware(tokens, null),
            new GraphqlEngine(List.of(module), GraphqlLimits.DEFAULTS, principal -> Optional.empty()),
            List.of("*"), 64 * 1024, tokens);

    @Test
    void aFailingFieldBesideDataIsA200() {
        assertThat(post("{ open broken }").getStatusCode()).isEqualTo(200);
        assertThat(post("{ open refused }").getStatusCode()).isEqualTo(200);
    }

    @Test
    void aResponseWithoutAnyDataIsA500OrA503() {
        APIGatewayProxyResponseEvent broken = post("{ broken }");
        assertThat(broken.getStatusCode()).isEqualTo(500);
        assertThat(broken.getBody()).contains("INTERNAL_SERVER_ERROR", "requestId").doesNotContain("a bug");
        assertThat(post("{ refused }").getStatusCode()).isEqualTo(503);
        assertThat(post("{ broken refused }").getStatusCode()).isEqualTo(503);
    }

    private APIGatewayProxyResponseEvent post(String query) {
        return handler.apply(new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/graphql")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody("{\"query\":\"" + query + "\"}"));
    }

    private static byte[] key(char fill) {
        return String.valueOf(fill).repeat(32).getBytes(StandardCharsets.UTF_8);
    }
}
