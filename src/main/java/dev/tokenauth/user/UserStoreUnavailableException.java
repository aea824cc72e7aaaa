package dev.tokenauth.user;

/** The user store could not be reached or refused the request; the caller may retry later. */
public final class UserStoreUnavailableException extends RuntimeException {

    public UserStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
