package dev.tokenauth.audit;

/**
 * One security-relevant fact about an account or a session, recorded once where it happens.
 * {@code userId}, {@code sessionId}, {@code username} and {@code reason} are null where unknown or
 * not applicable. {@code username} is the name a failed or throttled login attempted (the writer
 * decides how it appears in the log); never a token, a password, a hash or a key. {@code email} is
 * the address a mail or a reset concerned, null where none (the writer logs only a keyed hash).
 */
public record SecurityEvent(Type type, Caller caller, String userId, String sessionId, String username,
                            String reason, String email) {

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
        EMAIL_VERIFICATION_SENT("email_verification_sent"),
        EMAIL_VERIFIED("email_verified"),
        PASSWORD_RESET_REQUESTED("password_reset_requested"),
        PASSWORD_RESET_COMPLETED("password_reset_completed"),
        PASSWORD_RESET_FAILED("password_reset_failed"),
        PASSKEY_REGISTERED("passkey_registered"),
        PASSKEY_REMOVED("passkey_removed"),
        PASSKEY_LOGIN_SUCCEEDED("passkey_login_succeeded"),
        PASSKEY_LOGIN_FAILED("passkey_login_failed"),
        MFA_ENABLED("mfa_enabled"),
        MFA_DISABLED("mfa_disabled"),
        MFA_CHALLENGE_PASSED("mfa_challenge_passed"),
        MFA_CHALLENGE_FAILED("mfa_challenge_failed"),
        RECOVERY_CODE_USED("recovery_code_used");

        private final String eventName;

        Type(String eventName) {
            this.eventName = eventName;
        }

        public String eventName() {
            return eventName;
        }
    }

    /** An event that concerns no address. */
    public SecurityEvent(Type type, Caller caller, String userId, String sessionId, String username, String reason) {
        this(type, caller, userId, sessionId, username, reason, null);
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

    /** An event about an address: the user behind it where known, and the reason where it failed. */
    public static SecurityEvent ofAddress(Type type, Caller caller, String userId, String email, String reason) {
        return new SecurityEvent(type, caller, userId, null, null, reason, email);
    }
}
