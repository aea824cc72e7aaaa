package dev.tokenauth.user;

/** A registration lost the race for a name, or the name was taken long ago. */
public final class UsernameTakenException extends RuntimeException {

    public UsernameTakenException() {
        super("username taken", null, false, false);
    }
}
