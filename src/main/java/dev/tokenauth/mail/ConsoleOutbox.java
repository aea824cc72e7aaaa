package dev.tokenauth.mail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import tools.jackson.databind.json.JsonMapper;

/**
 * The local mailer: each mail is one JSON line on standard output with the keys {@code mail} (the
 * template), {@code to}, {@code subject} and {@code text}, so a developer reads the code in the
 * terminal; the mails are also kept in memory for tests. Never configured on Lambda: its lines hold
 * the codes.
 */
public final class ConsoleOutbox implements Mailer {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Consumer<String> lines;
    private final List<Mail> sent = new CopyOnWriteArrayList<>();

    public ConsoleOutbox(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public void send(Mail mail) {
        var line = new LinkedHashMap<String, Object>();
        line.put("mail", mail.template());
        line.put("to", mail.to());
        line.put("subject", mail.subject());
        line.put("text", mail.text());
        lines.accept(JSON.writeValueAsString(line));
        sent.add(mail);
    }

    /** Every mail sent so far, oldest first. */
    public List<Mail> sent() {
        return List.copyOf(sent);
    }
}
