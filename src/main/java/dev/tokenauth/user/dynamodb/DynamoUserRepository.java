package dev.tokenauth.user.dynamodb;

import java.util.Map;
import java.util.Optional;

import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import dev.tokenauth.user.UserStoreUnavailableException;
import dev.tokenauth.user.UsernameTakenException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Users in one DynamoDB table; uniqueness and count increments are single conditional writes. */
public final class DynamoUserRepository implements UserRepository {

    /** The table's partition key (type S): the normalised username. */
    public static final String PARTITION_KEY = UserItem.USERNAME;

    /** A key no user can have (it breaks the username rules): safe to read for warming up. */
    public static final String NOBODY = "~snapstart-priming~";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUserRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<User> findByUsername(String username) {
        if (username == null || username.isEmpty()) {
            // DynamoDB refuses an empty key (ValidationException): that is no outage, and no such user exists.
            return Optional.empty();
        }
        try {
            // Strongly consistent: a refresh right after a logout must see the new count.
            var response = dynamo.getItem(request -> request
                    .tableName(table)
                    .key(UserItem.key(username))
                    .consistentRead(true));
            return response.hasItem() && !response.item().isEmpty()
                    ? Optional.of(UserItem.fromItem(response.item()))
                    : Optional.empty();
        } catch (SdkException e) {
            throw unavailable("GetItem", e);
        }
    }

    @Override
    public void create(User user) {
        try {
            dynamo.putItem(request -> request
                    .tableName(table)
                    .item(UserItem.toItem(user))
                    .conditionExpression("attribute_not_exists(#username)")
                    .expressionAttributeNames(Map.of("#username", UserItem.USERNAME)));
        } catch (ConditionalCheckFailedException e) {
            throw new UsernameTakenException();
        } catch (SdkException e) {
            throw unavailable("PutItem", e);
        }
    }

    @Override
    public Optional<Long> incrementTokenCount(String username, String userId) {
        try {
            var response = dynamo.updateItem(request -> request
                    .tableName(table)
                    .key(UserItem.key(username))
                    .updateExpression("ADD #count :one")
                    .conditionExpression("#userId = :userId")
                    .expressionAttributeNames(Map.of("#count", UserItem.TOKEN_COUNT, "#userId", UserItem.USER_ID))
                    .expressionAttributeValues(Map.of(
                            ":one", AttributeValue.fromN("1"),
                            ":userId", AttributeValue.fromS(userId)))
                    .returnValues(ReturnValue.UPDATED_NEW));
            return Optional.of(Long.parseLong(response.attributes().get(UserItem.TOKEN_COUNT).n()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("UpdateItem", e);
        }
    }

    /**
     * One cheap read of a key that cannot exist, so that a process restored from a snapshot opens
     * a fresh connection before the first request needs it. Failures are left to that request.
     */
    public void reconnect() {
        try {
            dynamo.getItem(request -> request.tableName(table).key(UserItem.key(NOBODY)));
        } catch (SdkException e) {
            // the first request retries
        }
    }

    private UserStoreUnavailableException unavailable(String operation, SdkException e) {
        return new UserStoreUnavailableException("DynamoDB " + operation + " on table " + table + " failed", e);
    }
}
