package dev.tokenauth.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorCode;
import dev.tokenauth.error.RequestError;
import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.ResultPath;
import graphql.language.SourceLocation;
import graphql.schema.DataFetchingEnvironment;

/**
 * The one place that builds an error as the client sees it: {@code message}, {@code locations},
 * {@code path} and {@code extensions} with {@code code} first. The code travels as the error's
 * classification, typed, so that the status is decided on what the error is, never on a string
 * read back from its extensions.
 */
public final class GraphqlErrors {

    private GraphqlErrors() {
    }

    /** graphql-java's classification of an error of ours: its code. */
    record Classified(ErrorCode code) implements ErrorClassification {
        @Override
        public Object toSpecification(GraphQLError error) {
            return code.name();
        }
    }

    /** One field's error, located at the field. */
    static GraphQLError fieldError(DataFetchingEnvironment env, ApiError error) {
        return GraphqlErrorBuilder.newError(env)
                .message(error.getMessage())
                .errorType(new Classified(error.code()))
                .extensions(extensions(error.code(), error.extensions()))
                .build();
    }

    /** An error that refuses or fails the whole request. */
    static GraphQLError requestError(RequestError code, String message, List<SourceLocation> locations,
                                     Map<String, Object> more) {
        var builder = GraphqlErrorBuilder.newError()
                .message(message)
                .errorType(new Classified(code))
                .extensions(extensions(code, more));
        if (locations != null) {
            builder.locations(locations);
        }
        return builder.build();
    }

    /** A field's error that graphql-java raised itself, rewritten in our words and with our code. */
    static GraphQLError coded(GraphQLError original, ErrorCode code, String message, Map<String, Object> more) {
        var builder = GraphqlErrorBuilder.newError()
                .message(message)
                .errorType(new Classified(code))
                .extensions(extensions(code, more));
        if (original.getLocations() != null) {
            builder.locations(original.getLocations());
        }
        if (original.getPath() != null) {
            builder.path(ResultPath.fromList(original.getPath()));
        }
        return builder.build();
    }

    /** The body of a response that failed before GraphQL ran: one error, no data. */
    public static Map<String, Object> body(RequestError code, String message, String requestId) {
        Map<String, Object> more = requestId == null ? Map.of() : Map.of("requestId", requestId);
        return Map.of("errors", List.of(requestError(code, message, null, more).toSpecification()));
    }

    /** The code an error of ours carries; empty for graphql-java's own, not yet rewritten. */
    public static Optional<ErrorCode> code(GraphQLError error) {
        return error.getErrorType() instanceof Classified classified ? Optional.of(classified.code()) : Optional.empty();
    }

    private static Map<String, Object> extensions(ErrorCode code, Map<String, Object> more) {
        var all = new LinkedHashMap<String, Object>();
        all.put("code", code.name());
        all.putAll(more);
        return all;
    }
}
