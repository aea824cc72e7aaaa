package dev.tokenauth.token;

/**
 * A verified refresh token: its principal and its generation within the session. Every refresh
 * moves the session one generation on; a token of an older generation is a replay.
 */
public record RefreshClaims(Principal principal, long generation) {
}
