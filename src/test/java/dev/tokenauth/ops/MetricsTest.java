package dev.tokenauth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The lines are CloudWatch Embedded Metric Format documents, checked against the specification's rules. */
public class MetricsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    private final List<String> lines = new ArrayList<>();
    private final Metrics metrics = new Metrics("TokenAuthTest", Clock.fixed(NOW, ZoneOffset.UTC), lines::add);

    @Test
    void aCountIsOneLineOfValidEmf() {
        metrics.count(Metrics.SERVER_ERRORS);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n");
        JsonNode line = JSON.readTree(lines.get(0));
        assertValidEmf(line, "TokenAuthTest", Metrics.SERVER_ERRORS);
        assertThat(line.path("_aws").path("Timestamp").longValue()).isEqualTo(NOW.toEpochMilli());
    }

    /**
     * The specification's structure: a root object with {@code _aws} holding an integer
     * {@code Timestamp} (epoch ms) and {@code CloudWatchMetrics}, an array of directives, each with a
     * namespace, dimension sets whose names resolve to string members of the root, and metric
     * definitions whose names resolve to numeric members of the root.
     */
    public static void assertValidEmf(JsonNode root, String namespace, String metric) {
        assertThat(root.isObject()).isTrue();
        JsonNode aws = root.get("_aws");
        assertThat(aws).as("_aws").isNotNull();
        assertThat(aws.get("Timestamp").isIntegralNumber()).isTrue();
        JsonNode directives = aws.get("CloudWatchMetrics");
        assertThat(directives.isArray()).isTrue();
        assertThat(directives.size()).isEqualTo(1);
        JsonNode directive = directives.get(0);
        assertThat(directive.get("Namespace").stringValue()).isEqualTo(namespace);
        JsonNode dimensionSets = directive.get("Dimensions");
        assertThat(dimensionSets.isArray()).isTrue();
        for (JsonNode set : dimensionSets) {
            assertThat(set.isArray()).isTrue();
            assertThat(set.size()).isBetween(1, 30);
            for (JsonNode dimension : set) {
                assertThat(root.get(dimension.stringValue())).as("dimension %s", dimension).isNotNull();
                assertThat(root.get(dimension.stringValue()).isString()).isTrue();
            }
        }
        assertThat(root.get(Metrics.SERVICE_DIMENSION).stringValue()).isEqualTo(Metrics.SERVICE);
        JsonNode definitions = directive.get("Metrics");
        assertThat(definitions.size()).isEqualTo(1);
        assertThat(definitions.get(0).get("Name").stringValue()).isEqualTo(metric);
        assertThat(definitions.get(0).get("Unit").stringValue()).isEqualTo("Count");
        assertThat(root.get(metric).isNumber()).as("value of %s", metric).isTrue();
        assertThat(root.get(metric).intValue()).isEqualTo(1);
    }

    @Test
    void aServerErrorLineIsALogLineLikeAnyOtherWithTheInvocationsRequestId() {
        MDC.put(SecurityEventLog.AWS_REQUEST_ID, "lambda-req-1");
        try {
            metrics.count(Metrics.SERVER_ERRORS);
        } finally {
            MDC.remove(SecurityEventLog.AWS_REQUEST_ID);
        }
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.path("timestamp").stringValue()).isEqualTo(NOW.toString());
        assertThat(line.path("level").stringValue()).isEqualTo("ERROR");
        assertThat(line.path("logger").stringValue()).isEqualTo("metrics");
        assertThat(line.path("message").stringValue()).isEqualTo(Metrics.SERVER_ERRORS);
        assertThat(line.path(SecurityEventLog.AWS_REQUEST_ID).stringValue()).isEqualTo("lambda-req-1");
        assertValidEmf(line, "TokenAuthTest", Metrics.SERVER_ERRORS);
    }

    @Test
    void aFailingOutputNeverReachesTheCaller() {
        var broken = new Metrics("TokenAuthTest", Clock.systemUTC(), line -> {
            throw new IllegalStateException("closed");
        });
        broken.count(Metrics.SERVER_ERRORS);
    }
}
