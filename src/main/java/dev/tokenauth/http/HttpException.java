package dev.tokenauth.http;

import dev.tokenauth.error.RequestError;

/** A request the HTTP layer refuses before GraphQL sees it; the message is written for the client. */
final class HttpException extends RuntimeException {

    private final RequestError code;
    private final String allow;
    private final String challenge;

    HttpException(RequestError code, String message) {
        this(code, message, null);
    }

    HttpException(RequestError code, String message, String allow) {
        this(code, message, allow, null);
    }

    private HttpException(RequestError code, String message, String allow, String challenge) {
        super(message, null, false, false);
        this.code = code;
        this.allow = allow;
        this.challenge = challenge;
    }

    /** A 401 whose WWW-Authenticate header carries {@code challenge}. */
    static HttpException unauthorized(RequestError code, String message, String challenge) {
        return new HttpException(code, message, null, challenge);
    }

    /** The value of the WWW-Authenticate header for a 401, else null. */
    String challenge() {
        return challenge;
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
