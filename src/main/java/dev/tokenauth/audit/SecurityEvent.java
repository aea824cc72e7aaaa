package dev.tokenauth.audit;

/**
 * One security-relevant fact about an account or a session, recorded once where it happens.
 * {@code userId}, {@code sessionId}, {@code username} and {@code reason} are null where unknown or
 * not applicable. {@code username} is the name a failed or throttled login attempted (the writer
 * decides how it appears in the log); never a token, a password, a hash or a key.
 */
public record SecurityEvent(Type type, Caller caller, String userId, String sessionId, String username,
                            String reason) {

    /** The event names, as they appear in the {@code event} field of the log. */
    public enum Type {
        USER_REGISTERED("user_registered"),
        LOGIN_SUCCEEDED("login_succeeded"),
        LOGIN_FAILED("login_failed"),
        LOGIN_THROTTLED("login_throttled"),
        SESSION_REFRESHED("session_refreshed"),
        REFRESH_REUSE_DETECTED("refresh_reuse_detected"),
        LOGGED_OUT("logged_out"),
        LOGGED_OUT_EVERYWHERE("logged_out_everywhere"),
        PASSWORD_CHANGED("password_changed"),
        SESSION_REVOKED("session_revoked"),
        ACCOUNT_DELETED("account_deleted"),
        PASSKEY_REGISTERED("passkey_registered"),
        PASSKEY_REMOVED("passkey_removed"),
        PASSKEY_LOGIN_SUCCEEDED("passkey_login_succeeded"),
        PASSKEY_LOGIN_FAILED("passkey_login_failed");

        private final String eventName;

        Type(String eventName) {
            this.eventName = eventName;
        }

        public String eventName() {
            return eventName;
        }
    }

    public SecurityEvent {
        if (type == null || caller == null) {
            throw new IllegalArgumentException("an event needs a type and a caller");
        }
    }

    /** An event about a known user and (where there is one) session. */
    public static SecurityEvent of(Type type, Caller caller, String userId, String sessionId) {
        return new SecurityEvent(type, caller, userId, sessionId, null, null);
    }
}
