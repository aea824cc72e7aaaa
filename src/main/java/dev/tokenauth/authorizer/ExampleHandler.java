package dev.tokenauth.authorizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The template's example of another route behind this service's login: it answers with the
 * caller that {@link AccessTokenAuthorizer} put in the request context. A real backend reads the
 * same three values.
 */
public final class ExampleHandler implements RequestStreamHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode authorizer = JSON.readTree(input.readAllBytes()).path("requestContext").path("authorizer");
        String body = JSON.writeValueAsString(Map.of(
                "sub", authorizer.path("sub").asString(""),
                "username", authorizer.path("username").asString(""),
                "roles", authorizer.path("roles").asString("")));
        JSON.writeValue(output, Map.of("statusCode", 200, "isBase64Encoded", false,
                "headers", Map.of("Content-Type", "application/json", "Cache-Control", "no-store"), "body", body));
    }
}
