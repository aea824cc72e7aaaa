package dev.tokenauth.token;

/**
 * A verified session token (access or refresh): its principal and its generation within the
 * session. Every refresh moves the session one generation on; a refresh token of an older
 * generation is a replay.
 */
public record TokenClaims(Principal principal, long generation) {
}
