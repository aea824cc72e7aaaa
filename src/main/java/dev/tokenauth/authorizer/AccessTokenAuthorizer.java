package dev.tokenauth.authorizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.token.JwksVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An API Gateway Lambda authorizer that puts other routes behind this service's login: it admits
 * a request whose {@code Authorization: Bearer} access token verifies against the service's JWKS
 * (ES256, issuer, audience, expiry), with no secret and no AWS permission of its own. It answers
 * REST API {@code TOKEN} authorizer events with an IAM policy, and HTTP API (payload 2.0) events
 * with a simple response; the backend reads {@code sub}, {@code username} and {@code roles} from
 * the authorizer context. Spring is not involved: the handler starts in a fraction of the function's time.
 */
public final class AccessTokenAuthorizer implements RequestStreamHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The message API Gateway turns into a 401 for TOKEN authorizers. */
    static final String UNAUTHORIZED = "Unauthorized";

    private final JwksSource jwks;

    public AccessTokenAuthorizer() {
        this(AppConfig.authorizer(AppConfig.PROCESS));
    }

    private AccessTokenAuthorizer(AppConfig.Authorizer config) {
        this(new JwksSource(JwksSource.http(config.jwksUrl()), config.issuer(), config.audience(), Clock.systemUTC()));
    }

    AccessTokenAuthorizer(JwksSource jwks) {
        this.jwks = jwks;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input.readAllBytes());
        JSON.writeValue(output, decide(event));
    }

    Map<String, Object> decide(JsonNode event) {
        if ("2.0".equals(text(event, "version"))) {
            Optional<DecodedJWT> token = verify(header(event.path("headers"), "authorization"));
            var answer = new LinkedHashMap<String, Object>();
            answer.put("isAuthorized", token.isPresent());
            token.ifPresent(jwt -> answer.put("context", context(jwt)));
            return answer;
        }
        String headerValue = "TOKEN".equals(text(event, "type")) ? text(event, "authorizationToken")
                : header(event.path("headers"), "authorization");
        DecodedJWT jwt = verify(headerValue).orElseThrow(() -> new IllegalStateException(UNAUTHORIZED));
        return Map.of("principalId", jwt.getSubject(),
                "policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", "execute-api:Invoke", "Effect", "Allow", "Resource", wholeStage(text(event, "methodArn"))))),
                "context", context(jwt));
    }

    private Optional<DecodedJWT> verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).strip();
        return jwks.verifierFor(JwksVerifier.keyIdOf(token).orElse(null)).verify(token);
    }

    /**
     * The policy covers every route of the stage: API Gateway caches it per token, and a policy
     * naming only the first route would refuse the token's next request to another one.
     */
    static String wholeStage(String methodArn) {
        if (methodArn == null) {
            throw new IllegalStateException(UNAUTHORIZED);
        }
        // arn:aws:execute-api:region:account:apiId/stage/METHOD/resource
        String[] parts = methodArn.split("/", 3);
        return parts.length < 2 ? methodArn : parts[0] + "/" + parts[1] + "/*";
    }

    private static Map<String, Object> context(DecodedJWT jwt) {
        var values = new LinkedHashMap<String, Object>();
        values.put("sub", jwt.getSubject());
        String username = jwt.getClaim("username").asString();
        values.put("username", username == null ? "" : username);
        List<String> roles = jwt.getClaim("roles").isMissing() ? List.of() : jwt.getClaim("roles").asList(String.class);
        values.put("roles", String.join(",", roles == null ? List.of() : roles));
        return values;
    }

    private static String header(JsonNode headers, String name) {
        for (var entry : headers.properties()) {
            if (entry.getKey().equalsIgnoreCase(name) && entry.getValue().isString()) {
                return entry.getValue().stringValue();
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }
}
