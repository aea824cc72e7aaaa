package dev.tokenauth.mail.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenauth.mail.Mail;
import dev.tokenauth.mail.MailNotSentException;
import dev.tokenauth.mail.MailTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The SES adapter against a loopback endpoint that receives the SDK's real SendEmail request. */
class SesMailerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FROM = "no-reply@auth.example.com";

    private record Received(String method, String path, Map<String, List<String>> headers, JsonNode body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String errorType;
    private HttpServer server;
    private SesV2Client ses;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        ses = SesV2Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    @AfterEach
    void stop() {
        ses.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders(), JSON.readTree(new String(body, StandardCharsets.UTF_8))));
        byte[] answer;
        if (status == 200) {
            answer = "{\"MessageId\":\"0100018f-test\"}".getBytes(StandardCharsets.UTF_8);
        } else {
            exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            answer = ("{\"message\":\"" + errorType + " from the test endpoint\"}").getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    private static Mail resetMail() {
        return new MailTemplates().render(MailTemplates.PASSWORD_RESET, "Ada.Lovelace@example.org",
                Map.of("username", "ada", "code", "12345678", "minutes", "15"));
    }

    @Test
    void shouldSendTheDestinationSenderSubjectAndBothBodiesInOneSignedSendEmailRequest() {
        Mail mail = resetMail();

        new SesMailer(ses, FROM).send(mail);

        assertThat(received).hasSize(1);
        Received request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/email/outbound-emails");
        assertThat(request.headers().get("Authorization").get(0)).startsWith("AWS4-HMAC-SHA256").contains("/ses/aws4_request");
        JsonNode body = request.body();
        assertThat(body.path("FromEmailAddress").asString()).isEqualTo(FROM);
        assertThat(body.path("Destination").path("ToAddresses").size()).isEqualTo(1);
        assertThat(body.path("Destination").path("ToAddresses").get(0).asString()).isEqualTo("Ada.Lovelace@example.org");
        JsonNode simple = body.path("Content").path("Simple");
        assertThat(simple.path("Subject").path("Data").asString()).isEqualTo(mail.subject())
                .isEqualTo("Your code to choose a new password");
        assertThat(simple.path("Subject").path("Charset").asString()).isEqualTo("UTF-8");
        assertThat(simple.path("Body").path("Text").path("Data").asString()).isEqualTo(mail.text()).contains("12345678");
        assertThat(simple.path("Body").path("Html").path("Data").asString()).isEqualTo(mail.html())
                .contains("<p>Hello ada,</p>").contains("12345678");
        assertThat(simple.path("Body").path("Text").path("Charset").asString()).isEqualTo("UTF-8");
    }

    @Test
    void shouldReportThrottlingAsAMailNotSent() {
        status = 429;
        errorType = "TooManyRequestsException";

        assertThatThrownBy(() -> new SesMailer(ses, FROM).send(resetMail()))
                .isInstanceOfSatisfying(MailNotSentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MailNotSentException.Reason.THROTTLED);
                    assertThat(e.getMessage()).doesNotContain("example.org", "12345678");
                });
        assertThat(received).isNotEmpty();
    }

    @Test
    void shouldReportARejectedMessageAsAMailNotSent() {
        status = 400;
        errorType = "MessageRejected";

        assertThatThrownBy(() -> new SesMailer(ses, FROM).send(resetMail()))
                .isInstanceOfSatisfying(MailNotSentException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MailNotSentException.Reason.REJECTED);
                    assertThat(e.getMessage()).doesNotContain("example.org", "12345678");
                });
        // A rejection is final: the SDK does not send it again.
        assertThat(received).hasSize(1);
    }

    @Test
    void shouldReportAnUnreachableServiceAsAMailNotSent() {
        server.stop(0);

        assertThatThrownBy(() -> new SesMailer(ses, FROM).send(resetMail()))
                .isInstanceOfSatisfying(MailNotSentException.class,
                        e -> assertThat(e.reason()).isEqualTo(MailNotSentException.Reason.UNAVAILABLE));
    }
}
