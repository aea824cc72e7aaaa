package dev.tokenauth.token;

/**
 * A verified session token (access or refresh): its principal and its generation within the
 * session. Every refresh moves the session one generation on; a refresh token of an older
 * generation is a replay. {@code keyThumbprint}: an access token's {@code cnf.jkt} (RFC 9449), the
 * DPoP key it is bound to, or null.
 */
public record TokenClaims(Principal principal, long generation, String keyThumbprint) {

    /** Claims of a token bound to no key. */
    public TokenClaims(Principal principal, long generation) {
        this(principal, generation, null);
    }
}
