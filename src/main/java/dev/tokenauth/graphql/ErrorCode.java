package dev.tokenauth.graphql;

/**
 * Every value of {@code extensions.code} this API sends, in one place (Apollo's names where Apollo
 * has one). A code with an HTTP status refuses the whole request with that status; a field code
 * ({@code status} 0) marks one field's error in an otherwise normal 200 response.
 */
public enum ErrorCode {

    // Field errors: resolvers and the schema directives.
    /** No valid token, or (for live checks) a session that has ended. */
    UNAUTHENTICATED(0),
    /** A valid caller without the right: a missing role, closed registration. */
    FORBIDDEN(0),
    INVALID_CREDENTIALS(0),
    LOGIN_THROTTLED(0),
    /** Too many registrations from one source address; extensions.retryAfterSeconds says when to retry. */
    REGISTRATION_THROTTLED(0),
    /** An argument or variable outside the rules. */
    BAD_USER_INPUT(0),
    USERNAME_TAKEN(0),

    // Refusals of the document: 400 for application/graphql-response+json, 200 for legacy JSON.
    GRAPHQL_PARSE_FAILED(0),
    GRAPHQL_VALIDATION_FAILED(0),

    // Refusals of the request as a whole, whatever media type the client accepts.
    /** Bad HTTP framing: malformed JSON, wrong parameter types, conflicting headers. */
    BAD_REQUEST(400),
    /** Another path; also a field error for a record the caller cannot see. */
    NOT_FOUND(404),
    /** A mutation over GET, or a method other than GET, POST, OPTIONS. */
    METHOD_NOT_ALLOWED(405),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    /** More tokens or characters than the parser accepts. */
    QUERY_TOO_LARGE(400),
    /** Deeper or costlier than the limits allow. */
    QUERY_TOO_COMPLEX(400),
    /** More than one field marked {@code @passwordCheck} in one operation. */
    TOO_MANY_PASSWORD_CHECKS(400),
    INTROSPECTION_DISABLED(400),

    // Failures of the service: the whole response when no field has data.
    INTERNAL_SERVER_ERROR(500),
    SERVICE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    /** The HTTP status this code gives a response, or 0 when it does not decide one. */
    public int status() {
        return status;
    }

    /** Codes that refuse the request before anything runs: their status holds even when data is present. */
    public boolean refusesRequest() {
        return status >= 400 && status < 500;
    }

    /** The code of an {@code extensions.code} value, if it is one of these. */
    public static ErrorCode of(Object code) {
        if (code instanceof String name) {
            for (ErrorCode value : values()) {
                if (value.name().equals(name)) {
                    return value;
                }
            }
        }
        return null;
    }
}
