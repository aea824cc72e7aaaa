package dev.tokenauth.graphql;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenauth.error.ErrorType;
import dev.tokenauth.error.RequestError;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.InvalidSyntaxError;
import graphql.execution.NonNullableValueCoercedAsNullException;
import graphql.language.Document;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.language.Type;
import graphql.language.TypeName;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Every error a client sees, in this API's words and with a code: graphql-java's parse errors name
 * ANTLR and its variable errors name Java types (LinkedHashMap, BigInteger); these are rewritten,
 * keeping their locations. Errors that already carry a code (resolvers, directives, limits) pass
 * unchanged. Anything still looking like an internal is replaced by a generic message; an error
 * graphql-java raised while a field ran is that field's INTERNAL_SERVER_ERROR.
 */
final class PublicErrors {

    private static final Log log = LogFactory.getLog(PublicErrors.class);

    /** Names of Java types, packages or the parser generator in a message. */
    static final Pattern INTERNALS = Pattern.compile(
            "java\\.|javax\\.|Linked|ArrayList|BigInteger|BigDecimal|HashMap|ANTLR|Exception|graphql\\.|\\w+Value\\{");
    private static final Pattern VARIABLE = Pattern.compile("^Variable '([^']{1,100})'");

    private PublicErrors() {
    }

    static ExecutionResult rewrite(ExecutionResult result, Document document, String requestId) {
        if (result.getErrors().isEmpty()) {
            return result;
        }
        List<GraphQLError> errors = result.getErrors().stream().map(error -> rewrite(error, document, requestId)).toList();
        return result.transform(builder -> builder.errors(errors));
    }

    private static GraphQLError rewrite(GraphQLError error, Document document, String requestId) {
        String message = error.getMessage() == null ? "" : error.getMessage();
        if (GraphqlErrors.code(error).isPresent()) {
            return error;
        }
        if (error.getPath() != null && !error.getPath().isEmpty()) {
            // Raised while a field ran (null for a non-null field, a value of the wrong type): a resolver's bug.
            log.error("Field failed (request " + requestId + "): " + error.getErrorType() + " at " + error.getPath());
            return GraphqlErrors.coded(error, ErrorType.INTERNAL_SERVER_ERROR, "Internal server error",
                    Map.of("requestId", requestId));
        }
        if (error instanceof InvalidSyntaxError) {
            if (message.contains("parsing has been cancelled")) {
                return refused(error, RequestError.QUERY_TOO_LARGE, "Query is too large");
            }
            List<SourceLocation> at = error.getLocations();
            return refused(error, RequestError.GRAPHQL_PARSE_FAILED, at == null || at.isEmpty() ? "Syntax error"
                    : "Syntax error at line " + at.get(0).getLine() + ", column " + at.get(0).getColumn());
        }
        String type = String.valueOf(error.getErrorType());
        if ("BadFaithIntrospection".equals(type)) {
            // graphql-java's own guard against huge introspection queries
            return refused(error, RequestError.QUERY_TOO_COMPLEX, "Introspection query is too complex");
        }
        if ("IntrospectionDisabled".equals(type)) {
            return refused(error, RequestError.INTROSPECTION_DISABLED, "Introspection is disabled");
        }
        Matcher variable = VARIABLE.matcher(message);
        if (variable.find()) {
            String name = variable.group(1);
            String rule = error instanceof NonNullableValueCoercedAsNullException ? "must not be null"
                    : declaredType(document, name).map(t -> "must be " + describe(t)).orElse("has an invalid value");
            return refused(error, RequestError.BAD_USER_INPUT, "Variable '" + name + "' " + rule);
        }
        if ("ValidationError".equals(type)) {
            return refused(error, RequestError.GRAPHQL_VALIDATION_FAILED,
                    INTERNALS.matcher(message).find() ? "The query does not match the schema" : message);
        }
        return refused(error, RequestError.BAD_REQUEST,
                INTERNALS.matcher(message).find() ? "The request could not be run" : message);
    }

    private static java.util.Optional<Type<?>> declaredType(Document document, String variable) {
        if (document == null) {
            return java.util.Optional.empty();
        }
        return document.getDefinitionsOfType(OperationDefinition.class).stream()
                .flatMap(operation -> operation.getVariableDefinitions().stream())
                .filter(definition -> definition.getName().equals(variable))
                .<Type<?>>map(definition -> definition.getType())
                .findFirst();
    }

    /** "a String", "an Int", "a list of String": the declared type in words, without nullability. */
    static String describe(Type<?> type) {
        if (type instanceof NonNullType nonNull) {
            return describe(nonNull.getType());
        }
        if (type instanceof ListType list) {
            return "a list of " + describe(list.getType()).replaceFirst("^an? ", "");
        }
        String name = type instanceof TypeName named ? named.getName() : "value";
        return ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private static GraphQLError refused(GraphQLError error, RequestError code, String message) {
        return GraphqlErrors.requestError(code, message, error.getLocations(), Map.of());
    }
}
