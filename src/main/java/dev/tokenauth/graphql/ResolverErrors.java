package dev.tokenauth.graphql;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.tokenauth.user.AuthException;
import dev.tokenauth.user.UserStoreUnavailableException;
import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns resolver failures into GraphQL errors a client can act on. Only {@link AuthException}
 * messages reach the client; anything else becomes a generic message with the request id, and its
 * detail goes to the log.
 */
final class ResolverErrors implements DataFetcherExceptionHandler {

    private static final Log log = LogFactory.getLog(ResolverErrors.class);

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
            DataFetcherExceptionHandlerParameters parameters) {
        Throwable failure = parameters.getException();
        RequestContext context = parameters.getDataFetchingEnvironment().getGraphQlContext().get(RequestContext.class);
        String requestId = context.requestId();
        var error = GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment());
        GraphQLError built;
        if (failure instanceof AuthException auth) {
            built = error.message(auth.getMessage())
                    .errorType(ErrorClassification.errorClassification(auth.code().name()))
                    .extensions(auth.retryAfterSeconds()
                            .<Map<String, Object>>map(seconds -> Map.of("code", auth.code().name(), "retryAfterSeconds", seconds))
                            .orElse(Map.of("code", auth.code().name())))
                    .build();
        } else if (failure instanceof UserStoreUnavailableException) {
            log.warn("User store unavailable (request " + requestId + ")", failure);
            built = error.message("Service temporarily unavailable, please retry")
                    .errorType(ErrorClassification.errorClassification(ErrorCodes.SERVICE_UNAVAILABLE))
                    .extensions(Map.of("code", ErrorCodes.SERVICE_UNAVAILABLE, "requestId", requestId))
                    .build();
        } else {
            log.error("Resolver failed (request " + requestId + ")", failure);
            built = error.message("Internal server error")
                    .errorType(ErrorClassification.errorClassification(ErrorCodes.INTERNAL_SERVER_ERROR))
                    .extensions(Map.of("code", ErrorCodes.INTERNAL_SERVER_ERROR, "requestId", requestId))
                    .build();
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(built).build());
    }
}
