package dev.tokenauth.user.dynamodb;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.tokenauth.user.Passkey;
import dev.tokenauth.user.PasskeyRepository;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A user's passkeys as one item of the users table, keyed {@code passkeys#<userId>}: the
 * WebAuthn user handle names it, so a username-less sign-in reads it directly. The item holds the
 * user's name and a map of passkeys by credential id; each change is one conditional write on
 * the passkey it touches (the count of passkeys, the signature counter, its presence).
 *
 * <p>Item size: at most {@link dev.tokenauth.account.PasskeyService#MAX_PASSKEYS} passkeys, each
 * under 1 KiB (credential id up to 255 bytes, stored twice; an RSA-2048 public key, the largest
 * offered, about 270 bytes; a label of up to 64 characters), so an item stays under 12 KiB, far
 * below DynamoDB's 400 KB and within three read units.
 */
public final class DynamoPasskeys implements PasskeyRepository {

    static final String PREFIX = "passkeys#";
    static final String OWNER = "owner";
    static final String PASSKEYS = "passkeys";
    static final String LABEL = "label";
    static final String CREATED_AT = "createdAt";
    static final String LAST_USED_AT = "lastUsedAt";
    static final String SIGN_COUNT = "signCount";
    static final String USER_VERIFIED = "uv";
    static final String BACKUP_ELIGIBLE = "be";
    static final String BACKUP_STATE = "bs";
    static final String DATA = "data";
    static final String TRANSPORTS = "transports";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPasskeys(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<Keyring> find(String userId) {
        try {
            var response = dynamo.getItem(request -> request.tableName(table).key(key(userId)).consistentRead(true));
            if (!response.hasItem() || !response.item().containsKey(PASSKEYS)) {
                return Optional.empty();
            }
            var passkeys = new LinkedHashMap<String, Passkey>();
            response.item().get(PASSKEYS).m().forEach((id, value) -> passkeys.put(id, passkey(id, value.m())));
            return Optional.of(new Keyring(userId, response.item().get(OWNER).s(), passkeys));
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "GetItem", e);
        }
    }

    @Override
    public boolean add(String userId, String username, Passkey passkey, int max) {
        // The user's first passkey creates the item; later ones go into its map. A first one that
        // lost the race to create the item is added to the item that won.
        for (int attempt = 0; attempt < 2; attempt++) {
            if (addToItem(userId, username, passkey, max)) {
                return true;
            }
            if (createItem(userId, username, passkey)) {
                return true;
            }
        }
        return false;
    }

    private boolean addToItem(String userId, String username, Passkey passkey, int max) {
        return StoreCalls.conditionally(table, "UpdateItem",
                () -> dynamo.updateItem(request -> request.tableName(table).key(key(userId))
                    .updateExpression("SET #passkeys.#id = :passkey, #owner = :owner")
                    .conditionExpression("attribute_exists(#passkeys) AND size(#passkeys) < :max "
                            + "AND attribute_not_exists(#passkeys.#id)")
                    .expressionAttributeNames(Map.of("#passkeys", PASSKEYS, "#id", passkey.id(), "#owner", OWNER))
                    .expressionAttributeValues(Map.of(
                            ":passkey", AttributeValue.fromM(item(passkey)),
                            ":owner", AttributeValue.fromS(username),
                            ":max", UserItem.number(max)))));
    }

    private boolean createItem(String userId, String username, Passkey passkey) {
        return StoreCalls.conditionally(table, "PutItem",
                () -> dynamo.putItem(request -> request.tableName(table)
                    .item(Map.of(
                            UserItem.USERNAME, AttributeValue.fromS(PREFIX + userId),
                            OWNER, AttributeValue.fromS(username),
                            PASSKEYS, AttributeValue.fromM(Map.of(passkey.id(), AttributeValue.fromM(item(passkey))))))
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", UserItem.USERNAME))));
    }

    @Override
    public boolean recordUse(String userId, Passkey used, long checkedCount) {
        return StoreCalls.conditionally(table, "UpdateItem",
                () -> dynamo.updateItem(request -> request.tableName(table).key(key(userId))
                    .updateExpression("SET #passkeys.#id.#count = :count, #passkeys.#id.#used = :used, "
                            + "#passkeys.#id.#bs = :bs")
                    .conditionExpression("#passkeys.#id.#count = :checked")
                    .expressionAttributeNames(Map.of("#passkeys", PASSKEYS, "#id", used.id(), "#count", SIGN_COUNT,
                            "#used", LAST_USED_AT, "#bs", BACKUP_STATE))
                    .expressionAttributeValues(Map.of(
                            ":count", UserItem.number(used.signCount()),
                            ":used", UserItem.number(used.lastUsedAt().orElseThrow().toEpochMilli()),
                            ":bs", AttributeValue.fromBool(used.backupState()),
                            ":checked", UserItem.number(checkedCount)))));
    }

    @Override
    public boolean remove(String userId, String credentialId) {
        return StoreCalls.conditionally(table, "UpdateItem",
                () -> dynamo.updateItem(request -> request.tableName(table).key(key(userId))
                    .updateExpression("REMOVE #passkeys.#id")
                    .conditionExpression("attribute_exists(#passkeys.#id)")
                    .expressionAttributeNames(Map.of("#passkeys", PASSKEYS, "#id", credentialId))));
    }

    @Override
    public void deleteAll(String userId) {
        try {
            dynamo.deleteItem(request -> request.tableName(table).key(key(userId)));
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "DeleteItem", e);
        }
    }

    static Map<String, AttributeValue> key(String userId) {
        return UserItem.key(PREFIX + userId);
    }

    private static Map<String, AttributeValue> item(Passkey passkey) {
        var item = new HashMap<String, AttributeValue>(Map.of(
                LABEL, AttributeValue.fromS(passkey.label()),
                CREATED_AT, UserItem.number(passkey.createdAt().toEpochMilli()),
                SIGN_COUNT, UserItem.number(passkey.signCount()),
                USER_VERIFIED, AttributeValue.fromBool(passkey.userVerified()),
                BACKUP_ELIGIBLE, AttributeValue.fromBool(passkey.backupEligible()),
                BACKUP_STATE, AttributeValue.fromBool(passkey.backupState()),
                DATA, AttributeValue.fromS(passkey.credentialData()),
                // A list, not a string set: DynamoDB refuses empty sets.
                TRANSPORTS, AttributeValue.fromL(passkey.transports().stream().sorted().map(AttributeValue::fromS).toList())));
        passkey.lastUsedAt().ifPresent(at -> item.put(LAST_USED_AT, UserItem.number(at.toEpochMilli())));
        return item;
    }

    private static Passkey passkey(String id, Map<String, AttributeValue> item) {
        return new Passkey(id, item.get(LABEL).s(),
                Instant.ofEpochMilli(Long.parseLong(item.get(CREATED_AT).n())),
                Optional.ofNullable(item.get(LAST_USED_AT)).map(value -> Instant.ofEpochMilli(Long.parseLong(value.n()))),
                Long.parseLong(item.get(SIGN_COUNT).n()),
                item.get(USER_VERIFIED).bool(), item.get(BACKUP_ELIGIBLE).bool(), item.get(BACKUP_STATE).bool(),
                item.get(DATA).s(),
                Set.copyOf(item.get(TRANSPORTS).l().stream().map(AttributeValue::s).toList()));
    }


}
