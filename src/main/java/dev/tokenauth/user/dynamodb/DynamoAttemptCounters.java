package dev.tokenauth.user.dynamodb;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.user.AttemptCounters;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Attempt counters in the users table, one item per key; keys contain '#', which no username may,
 * so a counter never collides with a user. Each change is one conditional PutItem whose condition
 * is the expected counter; a failed condition hands back the stored item (ALL_OLD), so the caller
 * decides again without a second read. DynamoDB's time to live removes an item days after its
 * {@code expiresAt}; until then the condition and the reader treat it as absent.
 */
public final class DynamoAttemptCounters implements AttemptCounters {

    static final String COUNT = "failures";
    static final String LOCKED_UNTIL = "lockedUntil";
    /** The table's time-to-live attribute (epoch seconds). */
    public static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoAttemptCounters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Counter> compareAndSet(String key, Counter expected, Counter next, Instant now) {
        var names = Map.of("#count", COUNT, "#expires", EXPIRES_AT);
        var values = new HashMap<String, AttributeValue>();
        values.put(":now", UserItem.number(now.getEpochSecond()));
        String condition;
        if (expected.count() == 0) {
            condition = "attribute_not_exists(#count) OR #expires <= :now";
        } else {
            condition = "#count = :count AND #expires = :expires AND #expires > :now";
            values.put(":count", UserItem.number(expected.count()));
            values.put(":expires", UserItem.number(expected.expiresAt().getEpochSecond()));
        }
        try {
            dynamo.putItem(request -> request.tableName(table)
                    .item(Map.of(
                            UserItem.USERNAME, AttributeValue.fromS(key),
                            COUNT, UserItem.number(next.count()),
                            LOCKED_UNTIL, UserItem.number(next.lockedUntil().getEpochSecond()),
                            EXPIRES_AT, UserItem.number(next.expiresAt().getEpochSecond())))
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException e) {
            return Optional.of(counter(e.hasItem() && !e.item().isEmpty() ? e.item() : read(key), now));
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "PutItem", e);
        }
    }

    /**
     * The stored item when the failed condition did not return it: DynamoDB returns nothing when
     * the item is gone, and some local servers never return it. Only an input to the next
     * conditional write, never a decision of its own.
     */
    private Map<String, AttributeValue> read(String key) {
        try {
            return dynamo.getItem(request -> request.tableName(table).key(UserItem.key(key)).consistentRead(true))
                    .item();
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "GetItem", e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            dynamo.deleteItem(request -> request.tableName(table).key(UserItem.key(key)));
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "DeleteItem", e);
        }
    }

    private static Counter counter(Map<String, AttributeValue> item, Instant now) {
        if (item == null || !item.containsKey(COUNT) || !item.containsKey(EXPIRES_AT)) {
            return Counter.NONE;
        }
        var counter = new Counter(Integer.parseInt(item.get(COUNT).n()),
                Instant.ofEpochSecond(item.containsKey(LOCKED_UNTIL) ? Long.parseLong(item.get(LOCKED_UNTIL).n()) : 0),
                Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())));
        return counter.isLive(now) ? counter : Counter.NONE;
    }
}
