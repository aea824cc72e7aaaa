package dev.tokenauth.user.dynamodb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import dev.tokenauth.user.UsernameTakenException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** Users in one DynamoDB table; every write is a single conditional write of one item. */
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
            // Items without a user id are not users (login-attempt counters share the table).
            return response.hasItem() && response.item().containsKey(UserItem.USER_ID)
                    ? Optional.of(UserItem.fromItem(response.item()))
                    : Optional.empty();
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "GetItem", e);
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
            throw StoreCalls.unavailable(table, "PutItem", e);
        }
    }

    @Override
    public boolean update(User updated) {
        var values = new HashMap<String, AttributeValue>(Map.of(
                ":hash", AttributeValue.fromS(updated.passwordHash()),
                ":count", UserItem.number(updated.tokenCount()),
                ":sessions", UserItem.sessions(updated.sessions()),
                ":devices", UserItem.devices(updated.devices()),
                ":next", UserItem.number(updated.revision() + 1),
                ":revision", UserItem.number(updated.revision()),
                ":userId", AttributeValue.fromS(updated.userId())));
        String roles;
        if (updated.roles().isEmpty()) {
            roles = " REMOVE #roles";
        } else {
            roles = ", #roles = :roles";
            values.put(":roles", AttributeValue.fromSs(List.copyOf(updated.roles())));
        }
        return StoreCalls.conditionally(table, "UpdateItem",
                () -> dynamo.updateItem(request -> request
                    .tableName(table)
                    .key(UserItem.key(updated.username()))
                    .updateExpression("SET #hash = :hash, #count = :count, #sessions = :sessions, #devices = :devices, "
                            + "#revision = :next" + roles)
                    .conditionExpression("#userId = :userId AND #revision = :revision")
                    .expressionAttributeNames(Map.of(
                            "#hash", UserItem.PASSWORD_HASH,
                            "#count", UserItem.TOKEN_COUNT,
                            "#sessions", UserItem.SESSIONS,
                            "#devices", UserItem.DEVICES,
                            "#revision", UserItem.REVISION,
                            "#userId", UserItem.USER_ID,
                            "#roles", UserItem.ROLES))
                    .expressionAttributeValues(values)));
    }

    @Override
    public Optional<User> replacePassword(User checked, String newHash, Session onlySession) {
        try {
            var response = dynamo.updateItem(request -> request
                    .tableName(table)
                    .key(UserItem.key(checked.username()))
                    .updateExpression("SET #hash = :hash, #sessions = :sessions, #count = #count + :one, "
                            + "#revision = #revision + :one REMOVE #devices")
                    // The checked hash, not the revision: logins adding sessions meanwhile are no conflict.
                    .conditionExpression("#userId = :userId AND #hash = :checkedHash")
                    .expressionAttributeNames(Map.of(
                            "#hash", UserItem.PASSWORD_HASH,
                            "#sessions", UserItem.SESSIONS,
                            "#count", UserItem.TOKEN_COUNT,
                            "#revision", UserItem.REVISION,
                            "#devices", UserItem.DEVICES,
                            "#userId", UserItem.USER_ID))
                    .expressionAttributeValues(Map.of(
                            ":hash", AttributeValue.fromS(newHash),
                            ":sessions", UserItem.sessions(Map.of(onlySession.id(), onlySession)),
                            ":one", UserItem.number(1),
                            ":userId", AttributeValue.fromS(checked.userId()),
                            ":checkedHash", AttributeValue.fromS(checked.passwordHash())))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(UserItem.fromItem(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "UpdateItem", e);
        }
    }

    @Override
    public boolean delete(User checked) {
        try {
            var deleted = dynamo.deleteItem(request -> request
                    .tableName(table)
                    .key(UserItem.key(checked.username()))
                    .conditionExpression("#userId = :userId AND #hash = :checkedHash")
                    .expressionAttributeNames(Map.of("#userId", UserItem.USER_ID, "#hash", UserItem.PASSWORD_HASH))
                    .expressionAttributeValues(Map.of(
                            ":userId", AttributeValue.fromS(checked.userId()),
                            ":checkedHash", AttributeValue.fromS(checked.passwordHash())))
                    .returnValues(ReturnValue.ALL_OLD));
            // The address goes with the account: the one the deleted item held, whatever was checked.
            if (deleted.hasAttributes() && deleted.attributes().containsKey(UserItem.EMAIL)) {
                new DynamoEmailStore(dynamo, table).release(deleted.attributes().get(UserItem.EMAIL).s(), checked.userId());
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "DeleteItem", e);
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

}
