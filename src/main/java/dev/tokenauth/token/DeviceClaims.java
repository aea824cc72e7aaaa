package dev.tokenauth.token;

import java.time.Instant;

/**
 * A verified device token: the device a user logged in from successfully before. It binds the
 * user (id and name) and a random device id, which names the device's own failed-login budget.
 */
public record DeviceClaims(String userId, String username, String deviceId, Instant issuedAt) {
}
