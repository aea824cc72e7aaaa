package dev.tokenauth.ops;

import static dev.tokenauth.ops.MetricsTest.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent.Type;
import dev.tokenauth.audit.SecurityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;

/** The JSON shape of a security event line, and the metrics it carries. */
class SecurityEventLogTest {

    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");
    private static final Caller CALLER = new Caller("api-req-1", "203.0.113.9", "curl/8.5");
    private static final byte[] KEY = "s".repeat(64).getBytes(StandardCharsets.UTF_8);

    private final List<String> lines = new ArrayList<>();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SecurityEventLog log = new SecurityEventLog(new Metrics("TokenAuthTest", clock, lines::add),
            UsernameDigest.derivedFrom(KEY), clock, lines::add);

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    private JsonNode recorded(SecurityEvent event) {
        lines.clear();
        log.record(event);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n");
        return JSON.readTree(lines.get(0));
    }

    @Test
    void aLoginSucceededLineHasTheCommonFieldsTheEventAndItsMetric() {
        MDC.put(SecurityEventLog.AWS_REQUEST_ID, "lambda-req-1");
        JsonNode line = recorded(SecurityEvent.of(Type.LOGIN_SUCCEEDED, CALLER, "user-1", "session-1"));

        assertThat(line.get("timestamp").stringValue()).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(line.get("level").stringValue()).isEqualTo("INFO");
        assertThat(line.get("logger").stringValue()).isEqualTo("security");
        assertThat(line.get("message").stringValue()).isEqualTo("login_succeeded");
        assertThat(line.get("event").stringValue()).isEqualTo("login_succeeded");
        assertThat(line.get("requestId").stringValue()).isEqualTo("api-req-1");
        assertThat(line.get("awsRequestId").stringValue()).isEqualTo("lambda-req-1");
        assertThat(line.get("userId").stringValue()).isEqualTo("user-1");
        assertThat(line.get("sessionId").stringValue()).isEqualTo("session-1");
        assertThat(line.get("sourceIp").stringValue()).isEqualTo("203.0.113.9");
        assertThat(line.get("userAgent").stringValue()).isEqualTo("curl/8.5");
        assertThat(line.has("reason")).isFalse();
        assertThat(line.has("usernameHash")).isFalse();
        MetricsTest.assertValidEmf(line, "TokenAuthTest", "LoginSucceeded");
    }

    @Test
    void aFailedLoginNamesTheAttemptedAccountOnlyByItsKeyedHash() {
        JsonNode line = recorded(new SecurityEvent(Type.LOGIN_FAILED, CALLER, null, null,
                "Victim.Name", "bad_credentials"));

        assertThat(line.get("event").stringValue()).isEqualTo("login_failed");
        assertThat(line.get("reason").stringValue()).isEqualTo("bad_credentials");
        assertThat(line.get("usernameHash").stringValue())
                .isEqualTo(UsernameDigest.derivedFrom(KEY).of("victim.name"));
        assertThat(lines.get(0)).doesNotContainIgnoringCase("victim");
        assertThat(line.has("userId")).isFalse();
        assertThat(line.has("awsRequestId")).isFalse();
        MetricsTest.assertValidEmf(line, "TokenAuthTest", "LoginFailed");
    }

    @Test
    void eachMetricEventCarriesItsOwnMetricAndTheOthersNone() {
        assertThat(metricOf(Type.LOGIN_THROTTLED)).isEqualTo(Metrics.LOGIN_THROTTLED);
        assertThat(metricOf(Type.SESSION_REFRESHED)).isEqualTo(Metrics.SESSION_REFRESHED);
        assertThat(metricOf(Type.REFRESH_REUSE_DETECTED)).isEqualTo(Metrics.REFRESH_REUSE_DETECTED);
        for (Type type : List.of(Type.USER_REGISTERED, Type.LOGGED_OUT, Type.LOGGED_OUT_EVERYWHERE,
                Type.PASSWORD_CHANGED, Type.SESSION_REVOKED, Type.ACCOUNT_DELETED)) {
            JsonNode line = recorded(SecurityEvent.of(type, CALLER, "user-1", null));
            assertThat(line.get("event").stringValue()).isEqualTo(type.eventName());
            assertThat(line.has("_aws")).as(type.name()).isFalse();
        }
    }

    private String metricOf(Type type) {
        JsonNode line = recorded(SecurityEvent.of(type, CALLER, "user-1", "session-1"));
        String name = line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").get(0).path("Name").stringValue();
        MetricsTest.assertValidEmf(line, "TokenAuthTest", name);
        return name;
    }

    @Test
    void anEventTypeNameIsItsEventField() {
        for (Type type : Type.values()) {
            assertThat(recorded(SecurityEvent.of(type, CALLER, null, null)).get("event").stringValue())
                    .isEqualTo(type.eventName());
        }
    }

    @Test
    void aUserAgentWithLineSeparatorsAndC1ControlsIsEscapedAndALongOneIsCut() {
        String hostile = "Mozilla/5.0\u2028forged line\u2029\u0085next\u009B31m\u007f " + "x".repeat(10_000);
        JsonNode line = recorded(SecurityEvent.of(Type.LOGIN_SUCCEEDED,
                new Caller("api-req-1", "203.0.113.9", hostile), "user-1", "session-1"));

        String raw = lines.get(0);
        assertThat(raw).doesNotContain("\u2028", "\u2029", "\u0085", "\u009B", "\u007f")
                .contains("\\u2028", "\\u2029", "\\u0085", "\\u009b", "\\u007f");
        assertThat(raw.chars().filter(c -> c >= 0x7F && c <= 0x9F || c == 0x2028 || c == 0x2029)).isEmpty();
        assertThat(raw.length()).isLessThan(2_000);
        assertThat(line.path("userAgent").stringValue()).hasSize(SecurityEventLog.MAX_USER_AGENT)
                .startsWith("Mozilla/5.0\u2028forged line");
    }

    @Test
    void recordingNeverThrows() {
        var broken = new SecurityEventLog(new Metrics("N", clock, line -> {
            throw new IllegalStateException();
        }), UsernameDigest.derivedFrom(KEY), clock, line -> {
            throw new IllegalStateException();
        });
        broken.record(SecurityEvent.of(Type.LOGIN_SUCCEEDED, Caller.UNKNOWN, "u", "s"));
    }
}
