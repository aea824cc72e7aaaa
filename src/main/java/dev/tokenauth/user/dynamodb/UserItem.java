package dev.tokenauth.user.dynamodb;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tokenauth.user.EmailAddress;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.TotpFactor;
import dev.tokenauth.user.User;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The users table's item layout: one item per user, keyed by the normalised username. */
final class UserItem {

    static final String USERNAME = "username";
    static final String USER_ID = "userId";
    static final String PASSWORD_HASH = "passwordHash";
    static final String TOKEN_COUNT = "tokenCount";
    static final String SESSIONS = "sessions";
    static final String CREATED_AT = "createdAt";
    static final String REVISION = "revision";
    /** A string set, absent when the user has no role (DynamoDB has no empty sets). */
    static final String ROLES = "roles";
    static final String DEVICES = "devices";
    /** The normalised address, absent when the user has none, and whether it is verified. */
    static final String EMAIL = "email";
    static final String EMAIL_VERIFIED = "emailVerified";
    /** The second factor (see {@link dev.tokenauth.user.TotpFactor}); each absent until set. */
    static final String TOTP_PENDING = "totpPending";
    static final String TOTP_SECRET = "totpSecret";
    static final String TOTP_STEP = "totpStep";
    /** A string set of keyed hashes; absent once the last code is used (DynamoDB has no empty sets). */
    static final String TOTP_RECOVERY = "totpRecovery";
    // Inside each session of the sessions map: rotatedAt in epoch seconds (a token issue time),
    // createdAt and lastUsedAt in epoch milliseconds (the session's end; the order of eviction).
    static final String GENERATION = "gen";
    static final String ROTATED_AT = "rotatedAt";
    static final String SESSION_CREATED_AT = "createdAt";
    static final String LAST_USED_AT = "lastUsedAt";
    static final String LABEL = "label";
    /** True for a multi-factor login; absent otherwise. */
    static final String MULTI_FACTOR = "mfa";
    /** The bound DPoP key's thumbprint and the young proofs its refreshes spent; absent for bearer sessions. */
    static final String KEY_THUMBPRINT = "jkt";
    static final String SPENT_PROOFS = "spentProofs";
    static final String JTI = "jti";
    static final String IAT = "iat";

    private UserItem() {
    }

    static Map<String, AttributeValue> key(String username) {
        return Map.of(USERNAME, AttributeValue.fromS(username));
    }

    static Map<String, AttributeValue> toItem(User user) {
        var item = new LinkedHashMap<>(Map.of(
                USERNAME, AttributeValue.fromS(user.username()),
                USER_ID, AttributeValue.fromS(user.userId()),
                PASSWORD_HASH, AttributeValue.fromS(user.passwordHash()),
                TOKEN_COUNT, number(user.tokenCount()),
                SESSIONS, sessions(user.sessions()),
                CREATED_AT, AttributeValue.fromS(user.createdAt().toString()),
                REVISION, number(user.revision()),
                DEVICES, devices(user.devices())));
        if (!user.roles().isEmpty()) {
            item.put(ROLES, AttributeValue.fromSs(List.copyOf(user.roles())));
        }
        if (user.email() != null) {
            item.put(EMAIL, AttributeValue.fromS(user.email().address()));
            item.put(EMAIL_VERIFIED, AttributeValue.fromBool(user.email().verified()));
        }
        return item;
    }

    static User fromItem(Map<String, AttributeValue> item) {
        var sessions = new LinkedHashMap<String, Session>();
        item.get(SESSIONS).m().forEach((id, value) -> {
            var fields = value.m();
            Instant created = Instant.ofEpochMilli(Long.parseLong(fields.get(SESSION_CREATED_AT).n()));
            // A session without lastUsedAt or label counts as last used at its login, unlabelled.
            Instant lastUsed = fields.containsKey(LAST_USED_AT)
                    ? Instant.ofEpochMilli(Long.parseLong(fields.get(LAST_USED_AT).n())) : created;
            String label = fields.containsKey(LABEL) ? fields.get(LABEL).s() : "";
            boolean multiFactor = fields.containsKey(MULTI_FACTOR) && fields.get(MULTI_FACTOR).bool();
            sessions.put(id, new Session(id, Long.parseLong(fields.get(GENERATION).n()),
                    Instant.ofEpochSecond(Long.parseLong(fields.get(ROTATED_AT).n())), created, lastUsed, label,
                    multiFactor, fields.containsKey(KEY_THUMBPRINT) ? fields.get(KEY_THUMBPRINT).s() : null,
                    fields.containsKey(SPENT_PROOFS) ? fields.get(SPENT_PROOFS).l().stream()
                            .map(spent -> new Session.SpentProof(spent.m().get(JTI).s(),
                                    Instant.ofEpochSecond(Long.parseLong(spent.m().get(IAT).n()))))
                            .toList() : List.of()));
        });
        return new User(
                item.get(USER_ID).s(),
                item.get(USERNAME).s(),
                item.get(PASSWORD_HASH).s(),
                Long.parseLong(item.get(TOKEN_COUNT).n()),
                sessions,
                Instant.parse(item.get(CREATED_AT).s()),
                Long.parseLong(item.get(REVISION).n()),
                item.containsKey(ROLES) ? Set.copyOf(item.get(ROLES).ss()) : Set.of(),
                // An item without a devices list trusts no device yet.
                item.containsKey(DEVICES) ? item.get(DEVICES).l().stream().map(AttributeValue::s).toList() : List.of(),
                item.containsKey(EMAIL) ? new EmailAddress(item.get(EMAIL).s(),
                        Boolean.TRUE.equals(item.getOrDefault(EMAIL_VERIFIED, AttributeValue.fromBool(false)).bool())) : null,
                totp(item));
    }

    private static TotpFactor totp(Map<String, AttributeValue> item) {
        if (!item.containsKey(TOTP_PENDING) && !item.containsKey(TOTP_SECRET)) {
            return null;
        }
        return new TotpFactor(
                item.containsKey(TOTP_PENDING) ? item.get(TOTP_PENDING).s() : null,
                item.containsKey(TOTP_SECRET) ? item.get(TOTP_SECRET).s() : null,
                item.containsKey(TOTP_STEP) ? Long.parseLong(item.get(TOTP_STEP).n()) : 0,
                item.containsKey(TOTP_RECOVERY) ? Set.copyOf(item.get(TOTP_RECOVERY).ss()) : Set.of());
    }

    static AttributeValue sessions(Map<String, Session> sessions) {
        var map = new LinkedHashMap<String, AttributeValue>();
        sessions.forEach((id, session) -> {
            var fields = new LinkedHashMap<>(Map.of(
                    GENERATION, number(session.generation()),
                    ROTATED_AT, number(session.rotatedAt().getEpochSecond()),
                    SESSION_CREATED_AT, number(session.createdAt().toEpochMilli()),
                    LAST_USED_AT, number(session.lastUsedAt().toEpochMilli()),
                    LABEL, AttributeValue.fromS(session.label())));
            if (session.multiFactor()) {
                fields.put(MULTI_FACTOR, AttributeValue.fromBool(true));
            }
            if (session.bound()) {
                fields.put(KEY_THUMBPRINT, AttributeValue.fromS(session.keyThumbprint()));
                fields.put(SPENT_PROOFS, AttributeValue.fromL(session.spentProofs().stream()
                        .map(spent -> AttributeValue.fromM(Map.of(JTI, AttributeValue.fromS(spent.jti()),
                                IAT, number(spent.issuedAt().getEpochSecond()))))
                        .toList()));
            }
            map.put(id, AttributeValue.fromM(fields));
        });
        return AttributeValue.fromM(map);
    }

    /** A list, not a string set: DynamoDB refuses empty sets. */
    static AttributeValue devices(List<String> devices) {
        return AttributeValue.fromL(devices.stream().map(AttributeValue::fromS).toList());
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
