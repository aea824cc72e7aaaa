package dev.tokenauth.graphql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.user.AccountService;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.AsyncSerialExecutionStrategy;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

/** The one GraphQL engine of the process: schema from {@code graphql/schema.graphqls}, built once. */
public final class GraphqlEngine {

    static final String SCHEMA_RESOURCE = "graphql/schema.graphqls";

    private final GraphQL graphQL;

    public GraphqlEngine(AccountService accounts) {
        var fetchers = new AccountFetchers(accounts);
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", type -> type.dataFetcher("loggedInUser", fetchers.loggedInUser()))
                .type("Mutation", type -> type
                        .dataFetcher("login", fetchers.login())
                        .dataFetcher("register", fetchers.register())
                        .dataFetcher("logout", fetchers.logout()))
                .build();
        GraphQLSchema schema = new SchemaGenerator()
                .makeExecutableSchema(new SchemaParser().parse(readSchema()), wiring);
        var errors = new ResolverErrors();
        this.graphQL = GraphQL.newGraphQL(schema)
                .queryExecutionStrategy(new AsyncExecutionStrategy(errors))
                .mutationExecutionStrategy(new AsyncSerialExecutionStrategy(errors))
                .preparsedDocumentProvider(new DocumentCache())
                .build();
    }

    public ExecutionResult execute(GraphqlRequest request, RequestContext context) {
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables() == null ? Map.of() : request.variables())
                .graphQLContext(Map.of(RequestContext.class, context))
                .build();
        return graphQL.execute(input);
    }

    /**
     * The type of the operation a request would run, if its document parses and names one
     * unambiguously; used to refuse mutations over GET before anything runs.
     */
    public static Optional<OperationDefinition.Operation> operationType(GraphqlRequest request) {
        Document document;
        try {
            document = Parser.parse(request.query());
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
