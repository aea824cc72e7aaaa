package dev.tokenauth.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mails' words, from {@code mail/<name>.txt} (first line {@code Subject: ...}, then the plain
 * text) and {@code mail/<name>.html} on the class path, read once. {@code {{key}}} is replaced by
 * its value; in the HTML, HTML-escaped.
 */
public final class MailTemplates {

    /** The mail with a code confirming an address. */
    public static final String EMAIL_VERIFICATION = "email-verification";
    /** The mail with a code for a new password. */
    public static final String PASSWORD_RESET = "password-reset";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");
    private static final String SUBJECT = "Subject: ";

    private record Template(String subject, String text, String html) {
    }

    private final Map<String, Template> templates;

    public MailTemplates() {
        this.templates = Map.of(EMAIL_VERIFICATION, load(EMAIL_VERIFICATION), PASSWORD_RESET, load(PASSWORD_RESET));
    }

    /** The mail {@code name} to {@code to}, its placeholders filled from {@code values}. */
    public Mail render(String name, String to, Map<String, String> values) {
        Template template = templates.get(name);
        if (template == null) {
            throw new IllegalArgumentException("No mail template " + name);
        }
        return new Mail(name, to, fill(template.subject(), values, false), fill(template.text(), values, false),
                fill(template.html(), values, true));
    }

    private static String fill(String template, Map<String, String> values, boolean html) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        var filled = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("No value for {{" + matcher.group(1) + "}}");
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(html ? escape(value) : value));
        }
        return matcher.appendTail(filled).toString();
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static Template load(String name) {
        String text = resource("mail/" + name + ".txt");
        if (!text.startsWith(SUBJECT) || text.indexOf('\n') < 0) {
            throw new IllegalStateException("mail/" + name + ".txt must start with a line 'Subject: ...'");
        }
        int end = text.indexOf('\n');
        return new Template(text.substring(SUBJECT.length(), end).trim(), text.substring(end + 1).strip() + "\n",
                resource("mail/" + name + ".html"));
    }

    private static String resource(String path) {
        try (InputStream in = MailTemplates.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
