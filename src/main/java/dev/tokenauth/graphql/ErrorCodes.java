package dev.tokenauth.graphql;

/** Values of {@code extensions.code} beyond {@link dev.tokenauth.user.AuthException.Code}, Apollo-style. */
public final class ErrorCodes {

    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    public static final String INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR";
    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
    public static final String GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";

    private ErrorCodes() {
    }
}
