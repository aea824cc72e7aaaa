package dev.tokenauth.error;

/**
 * The built-in codes of a field error: one field failed, the others keep their data, and the
 * response's status does not change (see {@link RequestError} for the codes that set a status).
 */
public enum ErrorType implements ErrorCode {

    /** No valid token, or (for live checks) a session that has ended. */
    UNAUTHENTICATED,
    /** A valid caller without the right: a missing role, closed registration. */
    FORBIDDEN,
    INVALID_CREDENTIALS,
    /** Too many failed password checks; extensions.retryAfterSeconds says when to retry. */
    LOGIN_THROTTLED,
    /** Too many registrations from one source address; extensions.retryAfterSeconds says when to retry. */
    REGISTRATION_THROTTLED,
    /** An argument outside the rules. */
    BAD_USER_INPUT,
    USERNAME_TAKEN,
    /** A record the caller cannot see, whether or not it exists. */
    NOT_FOUND,
    /** A bug in a resolver (an exception, or null for a non-null field); the detail is in the log under the request id. */
    INTERNAL_SERVER_ERROR,
    /** The store could not be reached; retry. */
    SERVICE_UNAVAILABLE
}
