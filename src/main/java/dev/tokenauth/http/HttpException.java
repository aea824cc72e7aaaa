package dev.tokenauth.http;

/** A request the HTTP layer refuses before GraphQL sees it; the message is written for the client. */
final class HttpException extends RuntimeException {

    private final int status;
    private final String allow;

    HttpException(int status, String message) {
        this(status, message, null);
    }

    HttpException(int status, String message, String allow) {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    int status() {
        return status;
    }

    /** The value of the Allow header for a 405, else null. */
    String allow() {
        return allow;
    }
}
