package dev.tokenauth.graphql;

import java.util.List;

import dev.tokenauth.error.RequestError;
import graphql.ExecutionResult;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLObjectType;

/**
 * Rules on the operation graphql-java has chosen to run, checked after validation and before any
 * resolver: the operation itself is judged, not a guess at it from the request's parameters.
 *
 * <ul>
 *   <li>A request marked query-only (GET) cannot run a mutation: METHOD_NOT_ALLOWED.</li>
 *   <li>At most one field marked {@code @passwordCheck} per operation, aliases and fragments
 *       included: TOO_MANY_PASSWORD_CHECKS. Password guesses cannot be batched.</li>
 * </ul>
 */
final class OperationRules extends SimplePerformantInstrumentation {

    /** GraphQLContext key: true when the request may run queries only. */
    static final String QUERY_ONLY = "dev.tokenauth.graphql.queryOnly";

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(
            InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        OperationDefinition operation = execution.getOperationDefinition();
        if (operation.getOperation() == OperationDefinition.Operation.MUTATION
                && Boolean.TRUE.equals(execution.getGraphQLContext().get(QUERY_ONLY))) {
            throw refusal(RequestError.METHOD_NOT_ALLOWED, "Mutations must be sent with POST");
        }
        int checks = passwordChecks(execution, operation);
        if (checks > 1) {
            throw refusal(RequestError.TOO_MANY_PASSWORD_CHECKS, "An operation may check at most one password; this one has "
                    + checks + " fields that do (send them as separate requests)");
        }
        return super.beginExecuteOperation(parameters, state);
    }

    private static int passwordChecks(ExecutionContext execution, OperationDefinition operation) {
        GraphQLObjectType root = switch (operation.getOperation()) {
            case MUTATION -> execution.getGraphQLSchema().getMutationType();
            case SUBSCRIPTION -> execution.getGraphQLSchema().getSubscriptionType();
            default -> execution.getGraphQLSchema().getQueryType();
        };
        int[] count = {0};
        QueryTraverser.newQueryTraverser()
                .schema(execution.getGraphQLSchema())
                .root(operation)
                .rootParentType(root)
                .fragmentsByName(execution.getFragmentsByName())
                .coercedVariables(execution.getCoercedVariables())
                .build()
                .visitPreOrder(new QueryVisitorStub() {
                    @Override
                    public void visitField(QueryVisitorFieldEnvironment field) {
                        if (field.getFieldDefinition().hasAppliedDirective(AuthDirectives.PASSWORD_CHECK)) {
                            count[0]++;
                        }
                    }
                });
        return count[0];
    }

    static AbortExecutionException refusal(RequestError code, String message) {
        return new AbortExecutionException(List.of(GraphqlErrors.requestError(code, message, null, java.util.Map.of())));
    }
}
