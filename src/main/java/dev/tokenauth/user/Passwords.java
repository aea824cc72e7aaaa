package dev.tokenauth.user;

/** The rule for a new password, with the message a client sees when it is broken. */
final class Passwords {

    private Passwords() {
    }

    static void requireAcceptable(String password) {
        if (password == null || !PasswordHasher.hasAcceptableLength(password)) {
            throw new AuthException(AuthException.Code.BAD_USER_INPUT, "Password must be "
                    + PasswordHasher.MIN_PASSWORD_BYTES + " to " + PasswordHasher.MAX_PASSWORD_BYTES
                    + " bytes of well-formed Unicode");
        }
    }
}
