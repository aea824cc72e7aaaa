package dev.tokenauth.graphql;

import java.util.concurrent.CompletableFuture;

import dev.tokenauth.user.AuthException;
import dev.tokenauth.user.UserStoreUnavailableException;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.DataFetchingEnvironment;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns a resolver's failure into that field's error; the other fields keep their data. Only
 * {@link ApiError} and {@link AuthException} messages reach the client; anything else becomes a
 * generic message with the request id, and its detail goes to the log.
 */
final class ResolverErrors implements DataFetcherExceptionHandler {

    private static final Log log = LogFactory.getLog(ResolverErrors.class);

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
            DataFetcherExceptionHandlerParameters parameters) {
        DataFetchingEnvironment env = parameters.getDataFetchingEnvironment();
        ApiError error = toApiError(parameters.getException(), Auth.requestId(env));
        GraphQLError located = GraphqlErrorBuilder.newError(env)
                .message(error.getMessage())
                .errorType(error.getErrorType())
                .extensions(error.getExtensions())
                .build();
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(located).build());
    }

    static ApiError toApiError(Throwable failure, String requestId) {
        if (failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof ApiError api) {
            return api;
        }
        if (failure instanceof AuthException auth) {
            var error = ApiError.builder(code(auth.code())).message(auth.getMessage());
            auth.retryAfterSeconds().ifPresent(seconds -> error.extension("retryAfterSeconds", seconds));
            return error.build();
        }
        if (failure instanceof UserStoreUnavailableException) {
            log.warn("User store unavailable (request " + requestId + ")", failure);
            return ApiError.builder(ErrorCode.SERVICE_UNAVAILABLE)
                    .message("Service temporarily unavailable, please retry")
                    .extension("requestId", requestId).build();
        }
        log.error("Resolver failed (request " + requestId + ")", failure);
        return ApiError.builder(ErrorCode.INTERNAL_SERVER_ERROR).message("Internal server error")
                .extension("requestId", requestId).build();
    }

    /** The domain's codes, each mapped by name: a new domain code does not compile until it is listed. */
    static ErrorCode code(AuthException.Code code) {
        return switch (code) {
            case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
            case INVALID_CREDENTIALS -> ErrorCode.INVALID_CREDENTIALS;
            case USERNAME_TAKEN -> ErrorCode.USERNAME_TAKEN;
            case BAD_USER_INPUT -> ErrorCode.BAD_USER_INPUT;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
            case LOGIN_THROTTLED -> ErrorCode.LOGIN_THROTTLED;
            case REGISTRATION_THROTTLED -> ErrorCode.REGISTRATION_THROTTLED;
        };
    }
}
