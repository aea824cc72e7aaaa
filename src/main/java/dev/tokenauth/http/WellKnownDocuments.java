package dev.tokenauth.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.error.RequestError;
import dev.tokenauth.token.AccessTokenSigner;
import dev.tokenauth.token.TokenService;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a verifier of access tokens needs, and nothing secret: the JWK Set and a discovery
 * document (the subset of OpenID Connect Discovery 1.0 / RFC 8414 metadata that names the issuer,
 * the JWKS and the algorithm). Both are public and the same for every caller, so shared caches
 * may keep them for {@link #MAX_AGE_SECONDS}; the key rotation procedure waits longer than that.
 */
final class WellKnownDocuments {

    static final String JWKS_PATH = "/.well-known/jwks.json";
    static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    static final int MAX_AGE_SECONDS = 3600;

    private final String jwks;
    private final String issuer;
    private final Cors cors;
    private final JsonMapper mapper;

    WellKnownDocuments(TokenService tokens, Cors cors, JsonMapper mapper) {
        this.jwks = mapper.writeValueAsString(Map.of("keys", tokens.jwks()));
        this.issuer = tokens.issuer();
        this.cors = cors;
        this.mapper = mapper;
    }

    boolean serves(String path) {
        return path.equals(JWKS_PATH) || path.equals(DISCOVERY_PATH);
    }

    APIGatewayProxyResponseEvent respond(ApiRequest request, String origin) {
        var headers = new LinkedHashMap<String, String>();
        switch (request.method()) {
            case "OPTIONS" -> {
                cors.addPreflightTo(headers, origin);
                return response(204, headers, "", "no-store");
            }
            case "GET" -> {
            }
            default -> throw new HttpException(RequestError.METHOD_NOT_ALLOWED, "Method not allowed: use GET",
                    "GET, OPTIONS");
        }
        headers.put("Content-Type", "application/json; charset=utf-8");
        cors.addTo(headers, origin);
        String body = request.path().equals(JWKS_PATH) ? jwks : discovery(request);
        return response(200, headers, body, "public, max-age=" + MAX_AGE_SECONDS);
    }

    private String discovery(ApiRequest request) {
        var document = new LinkedHashMap<String, Object>();
        document.put("issuer", issuer);
        document.put("jwks_uri", baseUrl(request) + JWKS_PATH);
        document.put("id_token_signing_alg_values_supported", List.of(AccessTokenSigner.ALGORITHM));
        document.put("subject_types_supported", List.of("public"));
        document.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "jti", "roles", "username",
                "token_use"));
        return mapper.writeValueAsString(document);
    }

    /**
     * An issuer that is a URL is where these documents live (what API Gateway's JWT authorizers
     * expect); otherwise the URL the request came in by: API Gateway's domain name (not the
     * client's Host header) and the stage or base path before the route.
     */
    private String baseUrl(ApiRequest request) {
        String lower = issuer.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        }
        String domain = request.domainName();
        String host = domain != null ? domain : request.header("host").orElse("localhost");
        String proto = request.header("x-forwarded-proto").map(p -> p.toLowerCase(Locale.ROOT))
                .filter(p -> p.equals("http") || p.equals("https"))
                .orElse(domain != null ? "https" : "http");
        String fullPath = request.pathWithStage();
        String prefix = fullPath.endsWith(request.path())
                ? fullPath.substring(0, fullPath.length() - request.path().length()) : "";
        return proto + "://" + host + prefix;
    }

    private static APIGatewayProxyResponseEvent response(int status, Map<String, String> headers, String body,
                                                         String cacheControl) {
        headers.put("Cache-Control", cacheControl);
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false);
    }
}
