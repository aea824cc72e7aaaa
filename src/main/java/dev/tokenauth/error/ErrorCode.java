package dev.tokenauth.error;

/**
 * A value of {@code extensions.code}: what a client program branches on. Open, like graphql-java's
 * {@code ErrorClassification}: the built-in codes are {@link ErrorType} (a field failed) and
 * {@link RequestError} (the whole request was refused), and a module declares its own codes as an
 * enum implementing this interface, without editing either.
 */
public interface ErrorCode {

    /** The code as clients see it, e.g. {@code UNAUTHENTICATED}. Enums implement it for free. */
    String name();
}
