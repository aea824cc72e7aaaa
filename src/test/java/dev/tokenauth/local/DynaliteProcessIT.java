package dev.tokenauth.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The test server is a real DynamoDB API: tables, writes, reads. Fails (never skips) when the server
 * cannot start, with what to install.
 */
class DynaliteProcessIT {

    @Test
    void servesTheDynamoDbApi() {
        try (var client = UsersTable.client(DynamoDbTestServer.endpoint())) {
            UsersTable.create(client, "probe");
            UsersTable.create(client, "probe"); // idempotent
            assertThat(client.describeTable(request -> request.tableName("probe")).table().tableStatus())
                    .isEqualTo(TableStatus.ACTIVE);

            client.putItem(request -> request.tableName("probe")
                    .item(Map.of(UsersTable.KEY, AttributeValue.fromS("ada"), "n", AttributeValue.fromN("3"))));
            var item = client.getItem(request -> request.tableName("probe").consistentRead(true)
                    .key(Map.of(UsersTable.KEY, AttributeValue.fromS("ada")))).item();

            assertThat(item.get(UsersTable.KEY).s()).isEqualTo("ada");
            assertThat(item.get("n").n()).isEqualTo("3");
        }
    }
}
