package dev.tokenauth.user;

/**
 * A failure the client caused and may be told about. The message is written for the client; the
 * code is what a client program branches on ({@code extensions.code} in GraphQL errors).
 */
public final class AuthException extends RuntimeException {

    public enum Code {
        UNAUTHENTICATED, INVALID_CREDENTIALS, USERNAME_TAKEN, BAD_USER_INPUT, FORBIDDEN
    }

    private final Code code;

    public AuthException(Code code, String message) {
        // No stack trace: these are expected outcomes, thrown often, and never logged.
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    public static AuthException unauthenticated() {
        return new AuthException(Code.UNAUTHENTICATED, "Must authenticate");
    }
}
