package dev.tokenauth.mail;

/**
 * The mail service did not accept a mail: nothing was sent. {@code reason} is for the log and the
 * caller's decision; the message never holds an address or a body.
 */
public final class MailNotSentException extends RuntimeException {

    /** Why: the sending rate or quota is spent, the service refused this mail, or it could not be reached. */
    public enum Reason { THROTTLED, REJECTED, UNAVAILABLE }

    private final Reason reason;

    public MailNotSentException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
