package dev.tokenauth.mail;

/** Where mail goes out: Amazon SES on Lambda, the console outbox locally and in the tests. */
@FunctionalInterface
public interface Mailer {

    /** Hands {@code mail} over for delivery; {@link MailNotSentException} when it was not accepted. */
    void send(Mail mail);
}
