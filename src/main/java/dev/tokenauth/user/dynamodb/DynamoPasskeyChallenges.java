package dev.tokenauth.user.dynamodb;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import dev.tokenauth.user.PasskeyChallenges;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Outstanding WebAuthn challenges as items of the users table, keyed by the challenge's SHA-256
 * ({@code webauthn-challenge#<hash>}, so the table never holds a challenge itself), with the
 * ceremony, the user for a registration, and {@code expiresAt}, the table's time to live.
 */
public final class DynamoPasskeyChallenges implements PasskeyChallenges {

    static final String PREFIX = "webauthn-challenge#";
    static final String PURPOSE = "purpose";
    static final String OWNER = "owner";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPasskeyChallenges(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void store(byte[] challenge, Purpose purpose, String userId, Instant expiresAt) {
        var item = new HashMap<String, AttributeValue>(Map.of(
                UserItem.USERNAME, AttributeValue.fromS(PREFIX + digest(challenge)),
                PURPOSE, AttributeValue.fromS(purpose.name()),
                DynamoAttemptCounters.EXPIRES_AT, UserItem.number(expiresAt.getEpochSecond())));
        if (userId != null) {
            item.put(OWNER, AttributeValue.fromS(userId));
        }
        try {
            dynamo.putItem(request -> request.tableName(table).item(item));
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "PutItem", e);
        }
    }

    @Override
    public boolean consume(byte[] challenge, Purpose purpose, String userId, Instant now) {
        var names = new HashMap<>(Map.of("#purpose", PURPOSE, "#expires", DynamoAttemptCounters.EXPIRES_AT,
                "#owner", OWNER));
        var values = new HashMap<>(Map.of(
                ":purpose", AttributeValue.fromS(purpose.name()),
                ":now", UserItem.number(now.getEpochSecond())));
        String owner;
        if (userId == null) {
            owner = "attribute_not_exists(#owner)";
        } else {
            owner = "#owner = :owner";
            values.put(":owner", AttributeValue.fromS(userId));
        }
        return StoreCalls.conditionally(table, "DeleteItem",
                () -> dynamo.deleteItem(request -> request.tableName(table)
                    .key(UserItem.key(PREFIX + digest(challenge)))
                    // The whole decision: a missing, spent, expired or foreign challenge fails it.
                    .conditionExpression("#purpose = :purpose AND #expires > :now AND " + owner)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)));
    }

    static String digest(byte[] challenge) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(challenge));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

}
