package dev.tokenauth.error;

/**
 * The codes of a request refused or failed as a whole, each with the HTTP status it gives the
 * response. Only these set a status other than 200; a field's error never does.
 */
public enum RequestError implements ErrorCode {

    /** Bad HTTP framing: malformed JSON, wrong parameter types, conflicting headers. */
    BAD_REQUEST(400),
    /** A DPoP proof (RFC 9449) that is not valid for this request; the answer says so in WWW-Authenticate. */
    INVALID_DPOP_PROOF(401),
    /** A path other than the API's. */
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
    /**
     * The document, or its variables, cannot be run: GraphQL over HTTP answers these 400 under
     * {@code application/graphql-response+json} and 200 under legacy {@code application/json}.
     */
    GRAPHQL_PARSE_FAILED(400),
    GRAPHQL_VALIDATION_FAILED(400),
    BAD_USER_INPUT(400),
    /** A bug outside any field (the detail is in the log under the request id). */
    INTERNAL_SERVER_ERROR(500),
    /** The store could not be reached before any field ran; retry. */
    SERVICE_UNAVAILABLE(503);

    private final int status;

    RequestError(int status) {
        this.status = status;
    }

    /** The status under {@code application/graphql-response+json} (and for every media type, but see {@link #status(boolean)}). */
    public int status() {
        return status;
    }

    /** The status for a client that accepts only legacy {@code application/json}. */
    public int status(boolean legacyJson) {
        boolean documentError = this == GRAPHQL_PARSE_FAILED || this == GRAPHQL_VALIDATION_FAILED || this == BAD_USER_INPUT;
        return legacyJson && documentError ? 200 : status;
    }
}
