package dev.tokenauth.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ConsoleOutboxTest {

    @Test
    void shouldPrintEachMailAsOneJsonLineWithMailToSubjectAndTextAndKeepIt() {
        List<String> lines = new ArrayList<>();
        var outbox = new ConsoleOutbox(lines::add);
        Mail mail = new MailTemplates().render(MailTemplates.EMAIL_VERIFICATION, "ada@example.org",
                Map.of("username", "ada", "code", "00012345", "minutes", "15"));

        outbox.send(mail);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n");
        JsonNode line = JsonMapper.builder().build().readTree(lines.get(0));
        assertThat(line.propertyNames()).containsExactly("mail", "to", "subject", "text");
        assertThat(line.path("mail").asString()).isEqualTo(MailTemplates.EMAIL_VERIFICATION);
        assertThat(line.path("to").asString()).isEqualTo("ada@example.org");
        assertThat(line.path("subject").asString()).isEqualTo("Your code to confirm this e-mail address");
        assertThat(line.path("text").asString()).contains("00012345").contains("15 minutes");
        assertThat(outbox.sent()).containsExactly(mail);
    }

    @Test
    void shouldEscapeValuesInTheHtmlOnly() {
        Mail mail = new MailTemplates().render(MailTemplates.EMAIL_VERIFICATION, "a@example.org",
                Map.of("username", "<b>&", "code", "1", "minutes", "15"));

        assertThat(mail.text()).contains("Hello <b>&,");
        assertThat(mail.html()).contains("Hello &lt;b&gt;&amp;,").doesNotContain("<b>&");
    }
}
