package dev.tokenauth.user.dynamodb;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.user.EmailStore;
import dev.tokenauth.user.User;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Addresses and codes in the users table. A claim is an item of its own keyed
 * {@code email#<address>}, which no username can be (the rules allow no '#'), holding the owner's
 * id under a name of its own ({@code ownerId}, not {@code userId}: it is never read as a user).
 * The address and the codes live in the user's item, in attributes no other write touches; the
 * codes are flat attributes per purpose ({@code verifyCodeHash}, {@code resetCodeTries}, ...).
 * Every method is one conditional write (or a strongly consistent read).
 */
public final class DynamoEmailStore implements EmailStore {

    static final String CLAIM_PREFIX = "email#";
    static final String OWNER_ID = "ownerId";
    static final String OWNER = "owner";
    static final String CLAIMED_AT = "claimedAt";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoEmailStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The attribute names of one purpose's code. */
    private record CodeAttributes(String hash, String address, String expiresAt, String tries) {
        static CodeAttributes of(Purpose purpose) {
            String prefix = purpose == Purpose.VERIFY ? "verifyCode" : "resetCode";
            return new CodeAttributes(prefix + "Hash", prefix + "Address", prefix + "ExpiresAt", prefix + "Tries");
        }

        String removeAll() {
            return " REMOVE #codeHash, #codeAddress, #codeExpires, #codeTries";
        }

        void name(Map<String, String> names) {
            names.put("#codeHash", hash);
            names.put("#codeAddress", address);
            names.put("#codeExpires", expiresAt);
            names.put("#codeTries", tries);
        }
    }

    @Override
    public Optional<Claim> findClaim(String address) {
        try {
            var item = dynamo.getItem(request -> request.tableName(table).key(claimKey(address)).consistentRead(true)).item();
            if (item == null || !item.containsKey(OWNER_ID)) {
                return Optional.empty();
            }
            return Optional.of(new Claim(address, item.get(OWNER_ID).s(), item.get(OWNER).s(),
                    Instant.ofEpochMilli(Long.parseLong(item.get(CLAIMED_AT).n()))));
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "GetItem", e);
        }
    }

    @Override
    public boolean claim(Claim wanted, Optional<Claim> replacing) {
        var names = new HashMap<String, String>();
        var values = new HashMap<String, AttributeValue>();
        String condition;
        if (replacing.isEmpty()) {
            condition = "attribute_not_exists(#key)";
            names.put("#key", UserItem.USERNAME);
        } else {
            condition = "#ownerId = :staleOwner AND #claimedAt = :staleAt";
            names.put("#ownerId", OWNER_ID);
            names.put("#claimedAt", CLAIMED_AT);
            values.put(":staleOwner", AttributeValue.fromS(replacing.get().ownerId()));
            values.put(":staleAt", UserItem.number(replacing.get().claimedAt().toEpochMilli()));
        }
        var item = new HashMap<>(claimKey(wanted.address()));
        item.put(OWNER_ID, AttributeValue.fromS(wanted.ownerId()));
        item.put(OWNER, AttributeValue.fromS(wanted.owner()));
        item.put(CLAIMED_AT, UserItem.number(wanted.claimedAt().toEpochMilli()));
        return StoreCalls.conditionally(table, "PutItem",
                () -> dynamo.putItem(request -> request.tableName(table).item(item).conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values.isEmpty() ? null : values)));
    }

    @Override
    public void release(String address, String ownerId) {
        try {
            dynamo.deleteItem(request -> request.tableName(table).key(claimKey(address))
                    .conditionExpression("#ownerId = :ownerId")
                    .expressionAttributeNames(Map.of("#ownerId", OWNER_ID))
                    .expressionAttributeValues(Map.of(":ownerId", AttributeValue.fromS(ownerId))));
        } catch (ConditionalCheckFailedException e) {
            // someone else holds it, or nobody: nothing of ours to release
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "DeleteItem", e);
        }
    }

    @Override
    public boolean setAddress(User user, String previous, String address) {
        var names = new HashMap<>(Map.of("#userId", UserItem.USER_ID, "#email", UserItem.EMAIL,
                "#verified", UserItem.EMAIL_VERIFIED));
        CodeAttributes.of(Purpose.VERIFY).name(names);
        var values = new HashMap<>(Map.of(":userId", AttributeValue.fromS(user.userId()),
                ":address", AttributeValue.fromS(address), ":false", AttributeValue.fromBool(false)));
        String condition = "#userId = :userId AND ";
        if (previous == null) {
            condition += "attribute_not_exists(#email)";
        } else {
            condition += "#email = :previous";
            values.put(":previous", AttributeValue.fromS(previous));
        }
        // The old address's verification code dies with the change.
        return write("SET #email = :address, #verified = :false" + CodeAttributes.of(Purpose.VERIFY).removeAll(),
                condition, user, names, values).isPresent();
    }

    @Override
    public boolean storeCode(User user, Purpose purpose, StoredCode code) {
        var attributes = CodeAttributes.of(purpose);
        var names = new HashMap<>(Map.of("#userId", UserItem.USER_ID, "#email", UserItem.EMAIL));
        attributes.name(names);
        var values = new HashMap<>(Map.of(
                ":userId", AttributeValue.fromS(user.userId()),
                ":address", AttributeValue.fromS(code.address()),
                ":hash", AttributeValue.fromS(code.hash()),
                ":expires", UserItem.number(code.expiresAt().getEpochSecond()),
                ":tries", UserItem.number(code.tries())));
        String condition = "#userId = :userId AND #email = :address" + verifiedFor(purpose, names, values);
        return write("SET #codeHash = :hash, #codeAddress = :address, #codeExpires = :expires, #codeTries = :tries",
                condition, user, names, values).isPresent();
    }

    @Override
    public void voidCode(User user, Purpose purpose, String hash) {
        var attributes = CodeAttributes.of(purpose);
        var names = new HashMap<>(Map.of("#userId", UserItem.USER_ID));
        attributes.name(names);
        write("REMOVE #codeHash, #codeAddress, #codeExpires, #codeTries", "#userId = :userId AND #codeHash = :hash",
                user, names, new HashMap<>(Map.of(":userId", AttributeValue.fromS(user.userId()),
                        ":hash", AttributeValue.fromS(hash))));
    }

    @Override
    public Optional<StoredCode> countTry(User user, Purpose purpose, String address, Instant now, int maxTries) {
        var attributes = CodeAttributes.of(purpose);
        var names = new HashMap<>(Map.of("#userId", UserItem.USER_ID, "#email", UserItem.EMAIL));
        attributes.name(names);
        var values = new HashMap<>(Map.of(
                ":userId", AttributeValue.fromS(user.userId()),
                ":address", AttributeValue.fromS(address),
                ":now", UserItem.number(now.getEpochSecond()),
                ":max", UserItem.number(maxTries),
                ":one", UserItem.number(1)));
        String condition = "#userId = :userId AND #email = :address AND #codeAddress = :address"
                + " AND #codeExpires > :now AND #codeTries < :max" + verifiedFor(purpose, names, values);
        // DynamoDB refuses names an expression does not use; the hash comes back in the item.
        names.remove("#codeHash");
        return write("SET #codeTries = #codeTries + :one", condition, user, names, values)
                .map(item -> new StoredCode(item.get(attributes.hash()).s(), item.get(attributes.address()).s(),
                        Instant.ofEpochSecond(Long.parseLong(item.get(attributes.expiresAt()).n())),
                        Integer.parseInt(item.get(attributes.tries()).n())));
    }

    @Override
    public boolean markVerified(User user, StoredCode code, Instant now, int maxTries) {
        var names = new HashMap<>(Map.of("#verified", UserItem.EMAIL_VERIFIED));
        var values = new HashMap<>(Map.of(":true", AttributeValue.fromBool(true)));
        return write("SET #verified = :true" + CodeAttributes.of(Purpose.VERIFY).removeAll(),
                codeCondition(user, Purpose.VERIFY, code, now, maxTries, names, values), user, names, values).isPresent();
    }

    @Override
    public Optional<User> resetPassword(User user, StoredCode code, Instant now, int maxTries, String newHash) {
        var names = new HashMap<>(Map.of("#hash", UserItem.PASSWORD_HASH, "#sessions", UserItem.SESSIONS,
                "#count", UserItem.TOKEN_COUNT, "#devices", UserItem.DEVICES, "#revision", UserItem.REVISION));
        var values = new HashMap<>(Map.of(
                ":newHash", AttributeValue.fromS(newHash),
                ":noSessions", UserItem.sessions(Map.of()),
                ":noDevices", UserItem.devices(List.of()),
                ":one", UserItem.number(1)));
        String condition = codeCondition(user, Purpose.RESET, code, now, maxTries, names, values);
        return write("SET #hash = :newHash, #sessions = :noSessions, #count = #count + :one, #devices = :noDevices, "
                        + "#revision = #revision + :one" + CodeAttributes.of(Purpose.RESET).removeAll(),
                condition, user, names, values).map(UserItem::fromItem);
    }

    /** The condition every use of a code is written under: its hash, its expiry, its tries, its address. */
    private static String codeCondition(User user, Purpose purpose, StoredCode code, Instant now, int maxTries,
                                        Map<String, String> names, Map<String, AttributeValue> values) {
        CodeAttributes.of(purpose).name(names);
        names.put("#userId", UserItem.USER_ID);
        names.put("#email", UserItem.EMAIL);
        values.put(":userId", AttributeValue.fromS(user.userId()));
        values.put(":codeHash", AttributeValue.fromS(code.hash()));
        values.put(":address", AttributeValue.fromS(code.address()));
        values.put(":now", UserItem.number(now.getEpochSecond()));
        values.put(":max", UserItem.number(maxTries));
        return "#userId = :userId AND #codeHash = :codeHash AND #codeAddress = :address AND #email = :address"
                + " AND #codeExpires > :now AND #codeTries <= :max" + verifiedFor(purpose, names, values);
    }

    /** A reset code is only ever stored for, counted against and used on a verified address. */
    private static String verifiedFor(Purpose purpose, Map<String, String> names, Map<String, AttributeValue> values) {
        if (purpose != Purpose.RESET) {
            return "";
        }
        names.put("#emailVerified", UserItem.EMAIL_VERIFIED);
        values.put(":verified", AttributeValue.fromBool(true));
        return " AND #emailVerified = :verified";
    }

    /** One conditional UpdateItem of the user's item: the item as written, or empty when the condition failed. */
    private Optional<Map<String, AttributeValue>> write(String update, String condition, User user,
                                                         Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            var response = dynamo.updateItem(request -> request.tableName(table)
                    .key(UserItem.key(user.username()))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(response.attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw StoreCalls.unavailable(table, "UpdateItem", e);
        }
    }

    private static Map<String, AttributeValue> claimKey(String address) {
        return UserItem.key(CLAIM_PREFIX + address);
    }

}
