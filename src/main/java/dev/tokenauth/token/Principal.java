package dev.tokenauth.token;

/**
 * Who a verified token speaks for. {@code tokenCount} is the user's count when the token was
 * minted: once the stored count moves on (logout), tokens carrying the old one are void.
 */
public record Principal(String userId, String username, long tokenCount) {
}
