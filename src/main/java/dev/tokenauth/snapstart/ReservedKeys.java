package dev.tokenauth.snapstart;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenauth.user.dynamodb.DynamoAttemptCounters;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The priming's view of the users table: every key it reads or writes there is moved under a
 * prefix of its own, {@code ~priming~<random>~}, which no user and no counter key can have (the
 * username rules never produce '~', the counters' keys start with their own prefix). So the
 * priming's user, sessions and counters are items no request of a user can ever read, and two
 * environments priming at once against one table touch disjoint items. Each item it creates also
 * carries the table's time-to-live attribute, so a priming that dies halfway leaves nothing for
 * long; {@link #removeWritten} deletes them at once. Other tables (modules') pass through.
 */
final class ReservedKeys implements DynamoDbClient {

    private static final String KEY = DynamoUserRepository.PARTITION_KEY;

    private final DynamoDbClient dynamo;
    private final String table;
    private final String prefix = "~priming~" + UUID.randomUUID() + "~";
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private final Instant expiresAt;

    ReservedKeys(DynamoDbClient dynamo, String table, Instant expiresAt) {
        this.dynamo = dynamo;
        this.table = table;
        this.expiresAt = expiresAt;
    }

    /** A reserved key of this priming that nothing else reads: for reads the request paths never make. */
    String reserved(String key) {
        return prefix + key;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        if (!table.equals(request.tableName())) {
            return dynamo.getItem(request);
        }
        GetItemResponse response = dynamo.getItem(request.toBuilder().key(moved(request.key(), false)).build());
        return response.hasItem() ? response.toBuilder().item(restored(response.item())).build() : response;
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        if (!table.equals(request.tableName())) {
            return dynamo.putItem(request);
        }
        var item = new HashMap<>(moved(request.item(), true));
        item.putIfAbsent(DynamoAttemptCounters.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        return dynamo.putItem(request.toBuilder().item(item).build());
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        if (!table.equals(request.tableName())) {
            return dynamo.updateItem(request);
        }
        UpdateItemResponse response = dynamo.updateItem(request.toBuilder().key(moved(request.key(), true)).build());
        return response.hasAttributes()
                ? response.toBuilder().attributes(restored(response.attributes())).build() : response;
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        if (!table.equals(request.tableName())) {
            return dynamo.deleteItem(request);
        }
        return dynamo.deleteItem(request.toBuilder().key(moved(request.key(), true)).build());
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        // Only modules query, and only their own tables.
        return dynamo.query(request);
    }

    /** Deletes every item this priming wrote (its own reserved keys); failures are left to the time to live. */
    int removeWritten() {
        int removed = 0;
        for (String key : written) {
            try {
                dynamo.deleteItem(request -> request.tableName(table).key(Map.of(KEY, AttributeValue.fromS(key))));
                removed++;
            } catch (SdkException e) {
                // expires by itself
            }
        }
        return removed;
    }

    private Map<String, AttributeValue> moved(Map<String, AttributeValue> item, boolean writes) {
        AttributeValue key = item.get(KEY);
        if (key == null || key.s() == null) {
            return item;
        }
        String reserved = key.s().startsWith(prefix) ? key.s() : prefix + key.s();
        if (writes) {
            written.add(reserved);
        }
        var moved = new HashMap<>(item);
        moved.put(KEY, AttributeValue.fromS(reserved));
        return moved;
    }

    private Map<String, AttributeValue> restored(Map<String, AttributeValue> item) {
        AttributeValue key = item.get(KEY);
        if (key == null || key.s() == null || !key.s().startsWith(prefix)) {
            return item;
        }
        var restored = new HashMap<>(item);
        restored.put(KEY, AttributeValue.fromS(key.s().substring(prefix.length())));
        return restored;
    }

    @Override
    public String serviceName() {
        return dynamo.serviceName();
    }

    @Override
    public void close() {
        // the client is the caller's
    }
}
