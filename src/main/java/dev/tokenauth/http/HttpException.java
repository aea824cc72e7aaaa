package dev.tokenauth.http;

import dev.tokenauth.error.RequestError;

/** A request the HTTP layer refuses before GraphQL sees it; the message is written for the client. */
final class HttpException extends RuntimeException {

    private final RequestError code;
    private final String allow;

    HttpException(RequestError code, String message) {
        this(code, message, null);
    }

    HttpException(RequestError code, String message, String allow) {
        super(message, null, false, false);
        this.code = code;
        this.allow = allow;
    }

    static HttpException badRequest(String message) {
        return new HttpException(RequestError.BAD_REQUEST, message);
    }

    RequestError code() {
        return code;
    }

    /** The value of the Allow header for a 405, else null. */
    String allow() {
        return allow;
    }
}
