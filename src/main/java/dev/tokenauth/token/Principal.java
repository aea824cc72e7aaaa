package dev.tokenauth.token;

/**
 * Who a verified token speaks for, and in which session. {@code tokenCount} is the user's count
 * when the token was minted: once the stored count moves on (logout everywhere, a password
 * change), tokens carrying the old one are void. {@code sessionId} names the login (one device)
 * the token belongs to: ending that session voids its tokens and no other.
 */
public record Principal(String userId, String username, long tokenCount, String sessionId) {
}
