package dev.tokenauth.http;

import dev.tokenauth.graphql.ErrorCode;

/** A request the HTTP layer refuses before GraphQL sees it; the message is written for the client. */
final class HttpException extends RuntimeException {

    private final ErrorCode code;
    private final String allow;

    HttpException(ErrorCode code, String message) {
        this(code, message, null);
    }

    HttpException(ErrorCode code, String message, String allow) {
        super(message, null, false, false);
        this.code = code;
        this.allow = allow;
    }

    static HttpException badRequest(String message) {
        return new HttpException(ErrorCode.BAD_REQUEST, message);
    }

    ErrorCode code() {
        return code;
    }

    int status() {
        return code.status();
    }

    /** The value of the Allow header for a 405, else null. */
    String allow() {
        return allow;
    }
}
