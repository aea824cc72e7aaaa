package dev.tokenauth.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import graphql.ErrorClassification;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.InvalidSyntaxError;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.AsyncSerialExecutionStrategy;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.introspection.Introspection;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/**
 * The one GraphQL engine of the process: schema from {@code graphql/schema.graphqls}, built once,
 * with the request limits of {@link GraphqlLimits}.
 */
public final class GraphqlEngine {

    static final String SCHEMA_RESOURCE = "graphql/schema.graphqls";
    private static final Set<String> PASSWORD_FIELDS = Set.of("login", "register", "changePassword");

    private final GraphQL graphQL;
    private final GraphqlLimits limits;
    private final ParserOptions parserOptions;

    public GraphqlEngine(AccountOperations accounts, GraphqlLimits limits) {
        this.limits = limits;
        this.parserOptions = ParserOptions.getDefaultOperationParserOptions().transform(options -> options
                .maxTokens(limits.maxTokens())
                .maxCharacters(limits.maxCharacters()));
        var fetchers = new AccountFetchers(accounts);
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type.dataFetcher("loggedInUser", fetchers.loggedInUser()))
                .type("Mutation", type -> type
                        .dataFetcher("login", fetchers.login())
                        .dataFetcher("register", fetchers.register())
                        .dataFetcher("logout", fetchers.logout())
                        .dataFetcher("logoutEverywhere", fetchers.logoutEverywhere())
                        .dataFetcher("changePassword", fetchers.changePassword()))
                .build();
        GraphQLSchema schema = new SchemaGenerator()
                .makeExecutableSchema(new SchemaParser().parse(readSchema()), wiring);
        var errors = new ResolverErrors();
        this.graphQL = GraphQL.newGraphQL(schema)
                .queryExecutionStrategy(new AsyncExecutionStrategy(errors))
                .mutationExecutionStrategy(new AsyncSerialExecutionStrategy(errors))
                .instrumentation(new ChainedInstrumentation(List.of(
                        new MaxQueryDepthInstrumentation(limits.maxDepth(), info -> {
                            throw tooComplex("Query is nested " + info.getDepth() + " levels deep; at most "
                                    + limits.maxDepth() + " are allowed");
                        }),
                        new MaxQueryComplexityInstrumentation(limits.maxComplexity(),
                                (env, childComplexity) -> (PASSWORD_FIELDS.contains(env.getField().getName())
                                        ? GraphqlLimits.PASSWORD_FIELD_COST : 1) + childComplexity,
                                info -> {
                                    throw tooComplex("Query costs " + info.getComplexity() + "; at most "
                                            + limits.maxComplexity() + " is allowed (login, register and "
                                            + "changePassword cost " + GraphqlLimits.PASSWORD_FIELD_COST + " each)");
                                }))))
                .preparsedDocumentProvider(new DocumentCache())
                .build();
    }

    public ExecutionResult execute(GraphqlRequest request, RequestContext context) {
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables() == null ? Map.of() : request.variables())
                .graphQLContext(Map.of(
                        RequestContext.class, context,
                        ParserOptions.class, parserOptions,
                        Introspection.INTROSPECTION_DISABLED, !limits.introspectionEnabled()))
                .build();
        return withLimitCodes(graphQL.execute(input));
    }

    /**
     * The type of the operation a request would run, if its document parses within the limits and
     * names one unambiguously; used to refuse mutations over GET before anything runs.
     */
    public Optional<OperationDefinition.Operation> operationType(GraphqlRequest request) {
        Document document;
        try {
            document = Parser.parse(graphql.parser.ParserEnvironment.newParserEnvironment()
                    .document(request.query()).parserOptions(parserOptions).build());
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
        var operations = document.getDefinitionsOfType(OperationDefinition.class);
        return operations.stream()
                .filter(op -> request.operationName() == null
                        ? operations.size() == 1
                        : request.operationName().equals(op.getName()))
                .findFirst()
                .map(OperationDefinition::getOperation);
    }

    /** Parser cancellations and disabled introspection get codes a client can branch on. */
    private static ExecutionResult withLimitCodes(ExecutionResult result) {
        if (result.getErrors().isEmpty()) {
            return result;
        }
        List<GraphQLError> errors = result.getErrors().stream().map(error -> {
            String message = error.getMessage() == null ? "" : error.getMessage();
            if (error instanceof InvalidSyntaxError && message.contains("parsing has been cancelled")) {
                return withCode(error, ErrorCodes.QUERY_TOO_LARGE, "Query is too large");
            }
            String type = String.valueOf(error.getErrorType());
            if ("BadFaithIntrospection".equals(type)) {
                // graphql-java's own guard against huge introspection queries
                return withCode(error, ErrorCodes.QUERY_TOO_COMPLEX, message);
            }
            if ("IntrospectionDisabled".equals(type)) {
                return withCode(error, ErrorCodes.INTROSPECTION_DISABLED, "Introspection is disabled");
            }
            return error;
        }).toList();
        return result.transform(builder -> builder.errors(errors));
    }

    private static GraphQLError withCode(GraphQLError error, String code, String message) {
        return GraphqlErrorBuilder.newError().message(message).errorType(ErrorClassification.errorClassification(code))
                .extensions(Map.of("code", code)).build();
    }

    private static AbortExecutionException tooComplex(String message) {
        return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
                .message(message)
                .errorType(ErrorClassification.errorClassification(ErrorCodes.QUERY_TOO_COMPLEX))
                .extensions(Map.of("code", ErrorCodes.QUERY_TOO_COMPLEX)).build()));
    }

    private static String readSchema() {
        try (InputStream in = GraphqlEngine.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing class path resource " + SCHEMA_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
