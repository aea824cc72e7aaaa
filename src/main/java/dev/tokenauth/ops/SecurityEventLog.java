package dev.tokenauth.ops;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import org.slf4j.MDC;

/**
 * Security events as one JSON object per line, in the shape of every other log line (timestamp,
 * level, logger, message) plus the event's fields, so CloudWatch Logs Insights can filter on them.
 * The events that have a metric carry it in the same line (Embedded Metric Format). Written
 * straight to the output rather than through a logging level: an audit trail is not debug output.
 */
public final class SecurityEventLog implements SecurityEvents {

    public static final String LOGGER = "security";
    /** The MDC key under which the Lambda request id of the running invocation is kept. */
    public static final String AWS_REQUEST_ID = "awsRequestId";

    private final Metrics metrics;
    private final UsernameDigest usernames;
    private final Clock clock;
    private final Consumer<String> lines;

    public SecurityEventLog(Metrics metrics, UsernameDigest usernames, Clock clock, Consumer<String> lines) {
        this.metrics = metrics;
        this.usernames = usernames;
        this.clock = clock;
        this.lines = lines;
    }

    /** The metric an event type is counted in, or null. */
    static String metricOf(SecurityEvent.Type type) {
        return switch (type) {
            case LOGIN_SUCCEEDED, PASSKEY_LOGIN_SUCCEEDED -> Metrics.LOGIN_SUCCEEDED;
            case LOGIN_FAILED, PASSKEY_LOGIN_FAILED -> Metrics.LOGIN_FAILED;
            case LOGIN_THROTTLED -> Metrics.LOGIN_THROTTLED;
            case SESSION_REFRESHED -> Metrics.SESSION_REFRESHED;
            case REFRESH_REUSE_DETECTED -> Metrics.REFRESH_REUSE_DETECTED;
            case EMAIL_VERIFICATION_SENT -> Metrics.EMAIL_VERIFICATION_SENT;
            case EMAIL_VERIFIED -> Metrics.EMAIL_VERIFIED;
            case PASSWORD_RESET_REQUESTED -> Metrics.PASSWORD_RESET_REQUESTED;
            case PASSWORD_RESET_COMPLETED -> Metrics.PASSWORD_RESET_COMPLETED;
            case PASSWORD_RESET_FAILED -> Metrics.PASSWORD_RESET_FAILED;
            case MFA_CHALLENGE_PASSED -> Metrics.MFA_CHALLENGE_PASSED;
            case MFA_CHALLENGE_FAILED -> Metrics.MFA_CHALLENGE_FAILED;
            case RECOVERY_CODE_USED -> Metrics.RECOVERY_CODE_USED;
            default -> null;
        };
    }

    @Override
    public void record(SecurityEvent event) {
        try {
            Metrics.write(lines, line(event));
        } catch (RuntimeException ignored) {
            // recording never fails a request
        }
    }

    Map<String, Object> line(SecurityEvent event) {
        String name = event.type().eventName();
        var line = new LinkedHashMap<String, Object>();
        line.put("timestamp", Instant.now(clock).toString());
        line.put("level", "INFO");
        line.put("logger", LOGGER);
        line.put("message", name);
        line.put("event", name);
        line.put("requestId", event.caller().requestId());
        putIfPresent(line, AWS_REQUEST_ID, MDC.get(AWS_REQUEST_ID));
        putIfPresent(line, "userId", event.userId());
        putIfPresent(line, "sessionId", event.sessionId());
        if (event.username() != null) {
            line.put("usernameHash", usernames.of(event.username()));
        }
        if (event.email() != null) {
            // The same keyed hash as names: no username can contain '@', so the two never collide.
            line.put("emailHash", usernames.of(event.email()));
        }
        line.put("sourceIp", event.caller().sourceIp());
        line.put("userAgent", capped(event.caller().userAgent()));
        putIfPresent(line, "reason", event.reason());
        String metric = metricOf(event.type());
        if (metric != null) {
            metrics.addCount(line, metric);
        }
        return line;
    }

    /** Enough for any real browser's user agent; a longer header must not make a longer line. */
    static final int MAX_USER_AGENT = 256;

    private static String capped(String userAgent) {
        if (userAgent.length() <= MAX_USER_AGENT) {
            return userAgent;
        }
        // Never half a surrogate pair: an ill-formed string would cost the whole line.
        int end = Character.isHighSurrogate(userAgent.charAt(MAX_USER_AGENT - 1)) ? MAX_USER_AGENT - 1 : MAX_USER_AGENT;
        return userAgent.substring(0, end);
    }

    private static void putIfPresent(Map<String, Object> line, String key, String value) {
        if (value != null && !value.isEmpty()) {
            line.put(key, value);
        }
    }
}
