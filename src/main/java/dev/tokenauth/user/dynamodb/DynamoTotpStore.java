package dev.tokenauth.user.dynamodb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tokenauth.user.TotpStore;
import dev.tokenauth.user.User;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The second factor's attributes on the user item. The revision is left alone: the user
 * repository's writes never touch these attributes, so they cannot undo one of these.
 */
public final class DynamoTotpStore implements TotpStore {

    private static final Map<String, String> NAMES = Map.of(
            "#userId", UserItem.USER_ID,
            "#pending", UserItem.TOTP_PENDING,
            "#secret", UserItem.TOTP_SECRET,
            "#step", UserItem.TOTP_STEP,
            "#recovery", UserItem.TOTP_RECOVERY);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoTotpStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean begin(User user, String pendingSecret) {
        return write(user, "SET #pending = :pending", "attribute_not_exists(#secret)",
                Map.of(":pending", AttributeValue.fromS(pendingSecret)));
    }

    @Override
    public boolean enable(User user, String pendingSecret, long step, Set<String> recoveryHashes) {
        return write(user, "SET #secret = :pending, #step = :step, #recovery = :codes REMOVE #pending",
                "#pending = :pending AND attribute_not_exists(#secret)",
                Map.of(":pending", AttributeValue.fromS(pendingSecret), ":step", UserItem.number(step),
                        ":codes", AttributeValue.fromSs(List.copyOf(recoveryHashes))));
    }

    @Override
    public boolean acceptStep(User user, String secret, long step) {
        return write(user, "SET #step = :step", "#secret = :secret AND #step < :step",
                Map.of(":secret", AttributeValue.fromS(secret), ":step", UserItem.number(step)));
    }

    @Override
    public boolean useRecoveryCode(User user, String secret, String hash) {
        return write(user, "DELETE #recovery :used", "#secret = :secret AND contains(#recovery, :hash)",
                Map.of(":secret", AttributeValue.fromS(secret), ":hash", AttributeValue.fromS(hash),
                        ":used", AttributeValue.fromSs(List.of(hash))));
    }

    @Override
    public boolean disable(User user, String secret) {
        return write(user, "REMOVE #secret, #step, #recovery, #pending", "#secret = :secret",
                Map.of(":secret", AttributeValue.fromS(secret)));
    }

    private boolean write(User user, String update, String condition, Map<String, AttributeValue> values) {
        var allValues = new HashMap<>(values);
        allValues.put(":userId", AttributeValue.fromS(user.userId()));
        // Only the names the expressions use: DynamoDB refuses unused ones.
        String expressions = update + " " + condition;
        var names = new HashMap<String, String>();
        NAMES.forEach((name, attribute) -> {
            if (expressions.contains(name) || name.equals("#userId")) {
                names.put(name, attribute);
            }
        });
        return StoreCalls.conditionally(table, "UpdateItem",
                () -> dynamo.updateItem(request -> request
                    .tableName(table)
                    .key(UserItem.key(user.username()))
                    .updateExpression(update)
                    .conditionExpression("#userId = :userId AND " + condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(allValues)));
    }
}
