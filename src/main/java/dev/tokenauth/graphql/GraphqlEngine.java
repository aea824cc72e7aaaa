package dev.tokenauth.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tokenauth.error.RequestError;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.AsyncSerialExecutionStrategy;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.introspection.Introspection;
import graphql.language.Document;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;

/**
 * The one GraphQL engine of the process, built once: the base schema
 * ({@code graphql/schema.graphqls}: the root types and the directives) merged with every module's
 * schema files, the modules' wiring, the authorization directives, and the request limits of
 * {@link GraphqlLimits}.
 */
public final class GraphqlEngine {

    static final String BASE_SCHEMA = "graphql/schema.graphqls";

    private final GraphQL graphQL;
    private final GraphqlLimits limits;
    private final ParserOptions parserOptions;
    private final LiveUsers liveUsers;

    public GraphqlEngine(List<GraphqlModule> modules, GraphqlLimits limits, LiveUsers liveUsers) {
        this.limits = limits;
        this.liveUsers = liveUsers;
        this.parserOptions = ParserOptions.getDefaultOperationParserOptions().transform(options -> options
                .maxTokens(limits.maxTokens())
                .maxCharacters(limits.maxCharacters()));
        var parser = new SchemaParser();
        TypeDefinitionRegistry types = parser.parse(read(BASE_SCHEMA));
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .directive(AuthDirectives.AUTHENTICATED, AuthDirectives.authenticated())
                .directive(AuthDirectives.HAS_ROLE, AuthDirectives.hasRole());
        for (GraphqlModule module : modules) {
            module.schemaResources().forEach(resource -> types.merge(parser.parse(read(resource))));
            module.wire(wiring);
        }
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(types, wiring.build());
        var errors = new ResolverErrors();
        this.graphQL = GraphQL.newGraphQL(schema)
                .queryExecutionStrategy(new AsyncExecutionStrategy(errors))
                .mutationExecutionStrategy(new AsyncSerialExecutionStrategy(errors))
                .instrumentation(new ChainedInstrumentation(List.of(
                        new OperationRules(),
                        new MaxQueryDepthInstrumentation(limits.maxDepth(), info -> {
                            throw OperationRules.refusal(RequestError.QUERY_TOO_COMPLEX, "Query is nested "
                                    + info.getDepth() + " levels deep; at most " + limits.maxDepth() + " are allowed");
                        }),
                        new MaxQueryComplexityInstrumentation(limits.maxComplexity(),
                                (env, childComplexity) -> weight(env.getFieldDefinition()
                                        .getAppliedDirective(AuthDirectives.COST)) + childComplexity,
                                info -> {
                                    throw OperationRules.refusal(RequestError.QUERY_TOO_COMPLEX, "Query costs "
                                            + info.getComplexity() + "; at most " + limits.maxComplexity()
                                            + " is allowed (each field costs 1 unless its @cost says more)");
                                }))))
                .preparsedDocumentProvider(new DocumentCache())
                .build();
    }

    public ExecutionResult execute(GraphqlRequest request, RequestContext context) {
        Map<Object, Object> values = new HashMap<>();
        values.put(RequestContext.class, context);
        values.put(Auth.LiveUserLookup.class, new Auth.LiveUserLookup(liveUsers, context.principal(), context.liveUser()));
        values.put(ParserOptions.class, parserOptions);
        values.put(Introspection.INTROSPECTION_DISABLED, !limits.introspectionEnabled());
        values.put(OperationRules.QUERY_ONLY, request.queryOnly());
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables() == null ? Map.of() : request.variables())
                .extensions(request.extensions() == null ? Map.of() : request.extensions())
                .graphQLContext(values)
                .build();
        ExecutionResult result = graphQL.execute(input);
        return PublicErrors.rewrite(result, input.getGraphQLContext().get(Document.class), context.requestId());
    }

    private static int weight(GraphQLAppliedDirective cost) {
        return cost == null ? 1 : AuthDirectives.argument(cost, "weight", Integer.class, 1);
    }

    private static String read(String resource) {
        try (InputStream in = GraphqlEngine.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing class path resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
