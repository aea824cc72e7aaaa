package dev.tokenauth.token;

/**
 * A verified mfa token: one login attempt that proved the password and awaits its second factor.
 * It names the user (id, name and the token count of the login, so a password change or a logout
 * everywhere voids it), the attempt ({@code attemptId}, the key of its own tries and consumption)
 * and the trusted device the login came from, if any ({@code deviceId}, null otherwise), whose
 * budget its wrong codes spend.
 */
public record MfaClaims(String userId, String username, long tokenCount, String attemptId, String deviceId) {
}
