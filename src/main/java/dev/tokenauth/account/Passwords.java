package dev.tokenauth.account;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.user.PasswordHasher;

/** The rule for a new password, with the message a client sees when it is broken. */
public final class Passwords {

    private Passwords() {
    }

    public static void requireAcceptable(String password) {
        if (password == null || !PasswordHasher.hasAcceptableLength(password)) {
            throw ApiError.of(ErrorType.BAD_USER_INPUT, "Password must be "
                    + PasswordHasher.MIN_PASSWORD_BYTES + " to " + PasswordHasher.MAX_PASSWORD_BYTES
                    + " bytes of well-formed Unicode");
        }
    }
}
