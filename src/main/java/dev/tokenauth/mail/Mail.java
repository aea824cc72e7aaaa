package dev.tokenauth.mail;

/**
 * One message to one address: {@code template} names the kind of mail (the resource it was made
 * from), {@code text} and {@code html} are the same words in two forms.
 */
public record Mail(String template, String to, String subject, String text, String html) {

    @Override
    public String toString() {
        // Never the address or the body: the body holds a code.
        return "Mail[template=" + template + "]";
    }
}
