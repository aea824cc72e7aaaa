package dev.tokenauth.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The test server is a real DynamoDB API: tables, conditional writes, reads. */
class DynaliteProcessIT {

    @Test
    void servesTheDynamoDbApi() {
        try (var client = UsersTable.client(DynamoDbTestServer.endpoint())) {
            UsersTable.create(client, "probe");
            UsersTable.create(client, "probe");
            client.putItem(request -> request.tableName("probe")
                    .item(Map.of(UsersTable.KEY, AttributeValue.fromS("ada"), "n", AttributeValue.fromN("3"))));
            var item = client.getItem(request -> request.tableName("probe")
                    .key(Map.of(UsersTable.KEY, AttributeValue.fromS("ada")))).item();
            assertThat(item.get("n").n()).isEqualTo("3");
        }
    }
}
