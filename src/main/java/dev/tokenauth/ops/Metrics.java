package dev.tokenauth.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.MDC;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Counters as CloudWatch Embedded Metric Format: one JSON log line per count, which CloudWatch
 * Logs turns into a metric. Nothing calls the CloudWatch API, so the request path pays one line
 * of output, and a metric can never fail a request.
 */
public final class Metrics {

    public static final String LOGIN_SUCCEEDED = "LoginSucceeded";
    public static final String LOGIN_FAILED = "LoginFailed";
    public static final String LOGIN_THROTTLED = "LoginThrottled";
    public static final String SESSION_REFRESHED = "SessionRefreshed";
    public static final String REFRESH_REUSE_DETECTED = "RefreshReuseDetected";
    public static final String SERVER_ERRORS = "ServerErrors";
    public static final String EMAIL_VERIFICATION_SENT = "EmailVerificationSent";
    public static final String EMAIL_VERIFIED = "EmailVerified";
    public static final String PASSWORD_RESET_REQUESTED = "PasswordResetRequested";
    public static final String PASSWORD_RESET_COMPLETED = "PasswordResetCompleted";
    public static final String PASSWORD_RESET_FAILED = "PasswordResetFailed";
    public static final String MFA_CHALLENGE_PASSED = "MfaChallengePassed";
    public static final String MFA_CHALLENGE_FAILED = "MfaChallengeFailed";
    public static final String RECOVERY_CODE_USED = "RecoveryCodeUsed";
    /** Every metric this code emits; the template's alarms may only name these. */
    public static final List<String> NAMES = List.of(LOGIN_SUCCEEDED, LOGIN_FAILED, LOGIN_THROTTLED,
            SESSION_REFRESHED, REFRESH_REUSE_DETECTED, SERVER_ERRORS, EMAIL_VERIFICATION_SENT, EMAIL_VERIFIED,
            PASSWORD_RESET_REQUESTED, PASSWORD_RESET_COMPLETED, PASSWORD_RESET_FAILED, MFA_CHALLENGE_PASSED,
            MFA_CHALLENGE_FAILED, RECOVERY_CODE_USED);

    /** The one dimension: CloudWatch needs a dimension set, and a fixed one keeps alarms simple. */
    public static final String SERVICE_DIMENSION = "Service";
    public static final String SERVICE = "token-auth-graphql";
    public static final String UNIT = "Count";

    static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .characterEscapes(new LogLineEscapes()).build()).build();
    /** The logger name of a metric's own line. */
    static final String LOGGER = "metrics";

    private final String namespace;
    private final Clock clock;
    private final Consumer<String> lines;

    /** @param lines where each line goes: standard output on Lambda, where CloudWatch Logs reads it */
    public Metrics(String namespace, Clock clock, Consumer<String> lines) {
        this.namespace = namespace;
        this.clock = clock;
        this.lines = lines;
    }

    /** Lines to standard output, read when written (tests and the runtime may replace the stream). */
    public static Consumer<String> standardOutput() {
        return line -> System.out.println(line);
    }

    /**
     * Counts one occurrence of {@code name} in a line of its own, shaped like every other log line
     * (timestamp, level, logger, message, the invocation's request id) so it can be read and
     * filtered like them.
     */
    public void count(String name) {
        var line = new LinkedHashMap<String, Object>();
        line.put("timestamp", Instant.now(clock).toString());
        line.put("level", SERVER_ERRORS.equals(name) ? "ERROR" : "INFO");
        line.put("logger", LOGGER);
        line.put("message", name);
        String requestId = MDC.get(SecurityEventLog.AWS_REQUEST_ID);
        if (requestId != null) {
            line.put(SecurityEventLog.AWS_REQUEST_ID, requestId);
        }
        addCount(line, name);
        write(lines, line);
    }

    /**
     * Adds the EMF members for one occurrence of {@code name} to a JSON object that is written as
     * one line (a security event): the metric and the event are then one and the same log line.
     */
    void addCount(Map<String, Object> line, String name) {
        line.put("_aws", Map.of(
                "Timestamp", clock.millis(),
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", namespace,
                        "Dimensions", List.of(List.of(SERVICE_DIMENSION)),
                        "Metrics", List.of(Map.of("Name", name, "Unit", UNIT))))));
        line.put(SERVICE_DIMENSION, SERVICE);
        line.put(name, 1);
    }

    /** Writes one JSON object as one line; output trouble is swallowed: observing never fails a request. */
    static void write(Consumer<String> lines, Map<String, Object> line) {
        try {
            lines.accept(JSON.writeValueAsString(line));
        } catch (RuntimeException ignored) {
            // nothing sensible to do: the log itself is what failed
        }
    }
}
