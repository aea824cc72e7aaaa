package dev.tokenauth.graphql;

import java.util.Map;

/**
 * One GraphQL operation as the client sent it. {@code queryOnly}: the transport may not run a
 * mutation (GET); the engine refuses one with METHOD_NOT_ALLOWED, whatever {@code operationName} says.
 */
public record GraphqlRequest(String query, String operationName, Map<String, Object> variables,
                             Map<String, Object> extensions, boolean queryOnly) {

    /** A POST request without extensions. */
    public GraphqlRequest(String query, String operationName, Map<String, Object> variables) {
        this(query, operationName, variables, Map.of(), false);
    }
}
