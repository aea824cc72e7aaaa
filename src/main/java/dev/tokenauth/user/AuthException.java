package dev.tokenauth.user;

/**
 * A failure the client caused and may be told about. The message is written for the client; the
 * code is what a client program branches on ({@code extensions.code} in GraphQL errors).
 */
public final class AuthException extends RuntimeException {

    public enum Code {
        UNAUTHENTICATED, INVALID_CREDENTIALS, USERNAME_TAKEN, BAD_USER_INPUT, FORBIDDEN, LOGIN_THROTTLED,
        REGISTRATION_THROTTLED
    }

    private final Code code;
    private final Long retryAfterSeconds;

    public AuthException(Code code, String message) {
        this(code, message, null);
    }

    private AuthException(Code code, String message, Long retryAfterSeconds) {
        // No stack trace: these are expected outcomes, thrown often, and never logged.
        super(message, null, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Code code() {
        return code;
    }

    /** For the throttled codes: when a new attempt may succeed. */
    public java.util.Optional<Long> retryAfterSeconds() {
        return java.util.Optional.ofNullable(retryAfterSeconds);
    }

    public static AuthException throttled(long seconds) {
        return new AuthException(Code.LOGIN_THROTTLED,
                "Too many failed logins for this username: retry in " + seconds + " seconds", seconds);
    }

    public static AuthException registrationThrottled(long seconds) {
        return new AuthException(Code.REGISTRATION_THROTTLED,
                "Too many registrations from this address: retry in " + seconds + " seconds", seconds);
    }

    public static AuthException unauthenticated() {
        return new AuthException(Code.UNAUTHENTICATED, "Must authenticate");
    }
}
