package dev.tokenauth.user.dynamodb;

import java.time.Instant;
import java.util.Map;

import dev.tokenauth.user.User;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The users table's item layout: one item per user, keyed by the normalised username. */
final class UserItem {

    static final String USERNAME = "username";
    static final String USER_ID = "userId";
    static final String PASSWORD_HASH = "passwordHash";
    static final String TOKEN_COUNT = "tokenCount";
    static final String CREATED_AT = "createdAt";

    private UserItem() {
    }

    static Map<String, AttributeValue> key(String username) {
        return Map.of(USERNAME, AttributeValue.fromS(username));
    }

    static Map<String, AttributeValue> toItem(User user) {
        return Map.of(
                USERNAME, AttributeValue.fromS(user.username()),
                USER_ID, AttributeValue.fromS(user.userId()),
                PASSWORD_HASH, AttributeValue.fromS(user.passwordHash()),
                TOKEN_COUNT, AttributeValue.fromN(Long.toString(user.tokenCount())),
                CREATED_AT, AttributeValue.fromS(user.createdAt().toString()));
    }

    static User fromItem(Map<String, AttributeValue> item) {
        return new User(
                item.get(USER_ID).s(),
                item.get(USERNAME).s(),
                item.get(PASSWORD_HASH).s(),
                Long.parseLong(item.get(TOKEN_COUNT).n()),
                Instant.parse(item.get(CREATED_AT).s()));
    }
}
