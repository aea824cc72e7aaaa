package dev.tokenauth.user.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import dev.tokenauth.user.LoginAttempts;
import dev.tokenauth.user.UserStoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Failed-login counters in the users table, one item per attempted name, under a key no user can
 * have ({@code login-attempts#<name>}: '#' breaks the username rules). DynamoDB's time to live
 * removes an item once it can no longer lock anything.
 */
public final class DynamoLoginAttempts implements LoginAttempts {

    static final String KEY_PREFIX = "login-attempts#";
    static final String FAILURES = "failures";
    static final String LAST_FAILURE = "lastFailure";
    /** The table's time-to-live attribute (epoch seconds). */
    public static final String EXPIRES_AT = "expiresAt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration memory;

    public DynamoLoginAttempts(DynamoDbClient dynamo, String table, Duration memory) {
        this.dynamo = dynamo;
        this.table = table;
        this.memory = memory;
    }

    @Override
    public Failures failures(String username) {
        try {
            var item = dynamo.getItem(request -> request.tableName(table).key(key(username)).consistentRead(true)).item();
            if (item == null || item.isEmpty() || !item.containsKey(FAILURES)) {
                return Failures.NONE;
            }
            return new Failures(Integer.parseInt(item.get(FAILURES).n()),
                    Instant.ofEpochSecond(Long.parseLong(item.get(LAST_FAILURE).n())));
        } catch (SdkException e) {
            throw new UserStoreUnavailableException("DynamoDB GetItem on table " + table + " failed", e);
        }
    }

    @Override
    public void recordFailure(String username, Instant now) {
        try {
            dynamo.updateItem(request -> request.tableName(table).key(key(username))
                    .updateExpression("ADD #failures :one SET #last = :now, #expires = :expires")
                    .expressionAttributeNames(Map.of("#failures", FAILURES, "#last", LAST_FAILURE, "#expires", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":now", UserItem.number(now.getEpochSecond()),
                            ":expires", UserItem.number(now.plus(memory).getEpochSecond()))));
        } catch (SdkException e) {
            throw new UserStoreUnavailableException("DynamoDB UpdateItem on table " + table + " failed", e);
        }
    }

    @Override
    public void reset(String username) {
        try {
            dynamo.deleteItem(request -> request.tableName(table).key(key(username)));
        } catch (SdkException e) {
            throw new UserStoreUnavailableException("DynamoDB DeleteItem on table " + table + " failed", e);
        }
    }

    private static Map<String, AttributeValue> key(String username) {
        return UserItem.key(KEY_PREFIX + username);
    }
}
