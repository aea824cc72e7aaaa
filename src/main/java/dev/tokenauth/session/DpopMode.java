package dev.tokenauth.session;

/**
 * Whether sessions are bound to the client's DPoP key (RFC 9449). {@code OFF}: proofs are not
 * read and no session is bound (sessions bound earlier stop refreshing: no silent downgrade to
 * bearer). {@code OPTIONAL}: a login with a valid proof opens a bound session, one without opens a
 * bearer session. {@code REQUIRED}: a login without a proof is refused.
 */
public enum DpopMode {
    OFF, OPTIONAL, REQUIRED
}
