package dev.tokenauth.http;

import java.util.List;
import java.util.Map;

/**
 * CORS headers for every response. Browsers hide response headers they are not told about, so the
 * refreshed tokens are always listed in {@code Access-Control-Expose-Headers}, and so are the DPoP
 * answers a client acts on ({@code DPoP-Nonce}, {@code WWW-Authenticate}, and {@code Date}, by
 * which a client with a wrong clock dates its proofs in the server's time); {@code DPoP} is an allowed
 * request header.
 */
final class Cors {

    static final String EXPOSED_HEADERS = "x-access-token,x-refresh-token,dpop-nonce,www-authenticate,date";
    private static final String ALLOWED_HEADERS = "content-type,accept,authorization,x-access-token,x-refresh-token,dpop";
    private static final String ALLOWED_METHODS = "GET,POST,OPTIONS";
    private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

    private final List<String> allowedOrigins;
    private final boolean anyOrigin;

    Cors(List<String> allowedOrigins) {
        this.allowedOrigins = List.copyOf(allowedOrigins);
        this.anyOrigin = allowedOrigins.contains("*");
    }

    void addTo(Map<String, String> headers, String origin) {
        headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (anyOrigin) {
            headers.put("Access-Control-Allow-Origin", "*");
            return;
        }
        // The answer depends on the Origin header, so caches must keep one copy per origin.
        headers.put("Vary", "Origin");
        if (origin != null && allowedOrigins.contains(origin)) {
            headers.put("Access-Control-Allow-Origin", origin);
        }
    }

    void addPreflightTo(Map<String, String> headers, String origin) {
        addTo(headers, origin);
        headers.put("Access-Control-Allow-Methods", ALLOWED_METHODS);
        headers.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        headers.put("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
    }
}
