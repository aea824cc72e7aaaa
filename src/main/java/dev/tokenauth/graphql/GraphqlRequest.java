package dev.tokenauth.graphql;

import java.util.Map;

/** One GraphQL operation as the client sent it. */
public record GraphqlRequest(String query, String operationName, Map<String, Object> variables) {
}
