package dev.tokenauth.user.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import dev.tokenauth.local.DynamoDbTestServer;
import dev.tokenauth.local.UsersTable;
import dev.tokenauth.user.AttemptCounters.Counter;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The adapter's conditions against a real DynamoDB API server: a counter past its expiry still
 * stored (time to live deletes it days later) is absent to the condition and to the reader.
 */
class DynamoAttemptCountersIT {

    private static final Instant NOW = Instant.parse("2026-11-27T08:00:00Z");

    private final DynamoDbClient dynamo = UsersTable.client(DynamoDbTestServer.endpoint());
    private final String table = "counters-" + UUID.randomUUID();
    private final DynamoAttemptCounters counters;

    DynamoAttemptCountersIT() {
        UsersTable.create(dynamo, table);
        counters = new DynamoAttemptCounters(dynamo, table);
    }

    @Test
    void shouldTreatACounterPastItsExpiryAsAbsentThoughTheTableStillHoldsIt() {
        var lapsed = new Counter(7, NOW.minusSeconds(30), NOW.minusSeconds(1));
        assertThat(counters.compareAndSet("login-attempts#ada", Counter.NONE, lapsed, NOW.minusSeconds(60))).isEmpty();
        assertThat(dynamo.getItem(r -> r.tableName(table).key(UserItem.key("login-attempts#ada")).consistentRead(true))
                .hasItem()).as("still stored").isTrue();

        // Expecting the lapsed counter fails, and what is stored reads as none.
        assertThat(counters.compareAndSet("login-attempts#ada", lapsed, new Counter(8, NOW, NOW.plusSeconds(60)), NOW))
                .contains(Counter.NONE);
        // Expecting none succeeds: the count restarts from one.
        var first = new Counter(1, Instant.EPOCH, NOW.plusSeconds(3600));
        assertThat(counters.compareAndSet("login-attempts#ada", Counter.NONE, first, NOW)).isEmpty();
        // A live counter is no longer "none".
        Optional<Counter> stored = counters.compareAndSet("login-attempts#ada", Counter.NONE,
                new Counter(1, Instant.EPOCH, NOW.plusSeconds(3600)), NOW);
        assertThat(stored).get().extracting(Counter::count).isEqualTo(1);
    }

    @Test
    void shouldRefuseACounterAtTheSecondItExpires() {
        var counter = new Counter(3, Instant.EPOCH, NOW);
        assertThat(counters.compareAndSet("register-ip#192.0.2.1", Counter.NONE, counter, NOW.minusSeconds(5))).isEmpty();
        assertThat(counters.compareAndSet("register-ip#192.0.2.1", counter, new Counter(4, Instant.EPOCH, NOW), NOW))
                .contains(Counter.NONE);
    }
}
