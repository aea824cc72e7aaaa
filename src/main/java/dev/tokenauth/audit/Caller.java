package dev.tokenauth.audit;

/**
 * Who sent a request, as API Gateway saw it: the request id, the source IP (API Gateway's
 * {@code requestContext.identity.sourceIp}, which a client cannot forge, unlike
 * {@code X-Forwarded-For}) and the user agent. Used for security events, throttling per source and
 * device labels; none of it is a secret. {@code keyThumbprint}: the DPoP key the request proved it
 * holds (RFC 9449), or null; a session this request opens is bound to it.
 */
public record Caller(String requestId, String sourceIp, String userAgent, String keyThumbprint) {

    /** For work that no request started (tests, priming). */
    public static final Caller UNKNOWN = new Caller("unknown", "unknown", "");

    public Caller {
        requestId = requestId == null || requestId.isBlank() ? "unknown" : requestId;
        sourceIp = sourceIp == null || sourceIp.isBlank() ? "unknown" : sourceIp;
        userAgent = userAgent == null ? "" : userAgent;
    }

    public Caller(String requestId, String sourceIp, String userAgent) {
        this(requestId, sourceIp, userAgent, null);
    }

    /** This caller, having proved it holds the DPoP key of that thumbprint. */
    public Caller withKey(String thumbprint) {
        return new Caller(requestId, sourceIp, userAgent, thumbprint);
    }
}
