package dev.tokenauth.graphql;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.user.UserStoreUnavailableException;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.DataFetchingEnvironment;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns a resolver's failure into that field's error; the other fields keep their data. Only an
 * {@link ApiError}'s message reaches the client; anything else becomes a generic message with the
 * request id, and its detail goes to the log.
 */
final class ResolverErrors implements DataFetcherExceptionHandler {

    private static final Log log = LogFactory.getLog(ResolverErrors.class);

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
            DataFetcherExceptionHandlerParameters parameters) {
        DataFetchingEnvironment env = parameters.getDataFetchingEnvironment();
        ApiError error = toApiError(parameters.getException(), Auth.requestId(env));
        return CompletableFuture.completedFuture(
                DataFetcherExceptionHandlerResult.newResult(GraphqlErrors.fieldError(env, error)).build());
    }

    static ApiError toApiError(Throwable failure, String requestId) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof ApiError api) {
            return api;
        }
        if (failure instanceof UserStoreUnavailableException) {
            log.warn("User store unavailable (request " + requestId + ")", failure);
            return ApiError.builder(ErrorType.SERVICE_UNAVAILABLE)
                    .message("Service temporarily unavailable, please retry")
                    .extension("requestId", requestId).build();
        }
        log.error("Resolver failed (request " + requestId + ")", failure);
        return internalError(requestId);
    }

    static ApiError internalError(String requestId) {
        return ApiError.builder(ErrorType.INTERNAL_SERVER_ERROR).message("Internal server error")
                .extension("requestId", requestId).build();
    }
}
