package dev.tokenauth.http;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.audit.Caller;
import dev.tokenauth.error.ErrorCode;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.error.RequestError;
import dev.tokenauth.graphql.GraphqlEngine;
import dev.tokenauth.graphql.GraphqlErrors;
import dev.tokenauth.graphql.GraphqlRequest;
import dev.tokenauth.graphql.RequestContext;
import dev.tokenauth.session.AuthOutcome;
import dev.tokenauth.session.TokenMiddleware;
import dev.tokenauth.token.DpopProofs;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.UserStoreUnavailableException;
import graphql.ExecutionResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Lambda function: an API Gateway REST proxy event in, a response event out. It is the only
 * code that sees API Gateway types. It follows the GraphQL-over-HTTP specification (draft of
 * 2025): POST with {@code application/json}, GET for queries only, and
 * {@code application/graphql-response+json} when the client accepts it.
 */
public final class GraphqlHttpHandler implements Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    public static final String GRAPHQL_PATH = "/graphql";
    public static final String ACCESS_TOKEN_HEADER = "x-access-token";
    public static final String REFRESH_TOKEN_HEADER = "x-refresh-token";
    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    static final String JSON = "application/json";

    private static final Log log = LogFactory.getLog(GraphqlHttpHandler.class);
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    // The event's fields are the bean properties of the AWS type; fields API Gateway adds later are ignored.
    private static final ObjectReader EVENTS = MAPPER.readerFor(APIGatewayProxyRequestEvent.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final TokenMiddleware middleware;
    private final GraphqlEngine engine;
    private final Cors cors;
    private final int maxBodyBytes;
    private final WellKnownDocuments wellKnown;
    private final DpopRequests dpop;

    public GraphqlHttpHandler(TokenMiddleware middleware, GraphqlEngine engine, List<String> corsAllowedOrigins,
                              int maxBodyBytes, TokenService tokens) {
        this(middleware, engine, corsAllowedOrigins, maxBodyBytes, tokens, new DpopProofs(Clock.systemUTC()),
                Optional.empty());
    }

    /**
     * {@code proofs}: checks the DPoP proofs requests carry, or null when DPoP is off (the header is
     * not read); {@code dpopUrl}: the public URL proofs must name, when the event cannot tell it.
     */
    public GraphqlHttpHandler(TokenMiddleware middleware, GraphqlEngine engine, List<String> corsAllowedOrigins,
                              int maxBodyBytes, TokenService tokens, DpopProofs proofs, Optional<String> dpopUrl) {
        this.dpop = proofs == null ? null : new DpopRequests(proofs, dpopUrl);
        this.middleware = middleware;
        this.engine = engine;
        this.cors = new Cors(corsAllowedOrigins);
        this.maxBodyBytes = maxBodyBytes;
        this.wellKnown = new WellKnownDocuments(tokens, cors, MAPPER);
    }

    /**
     * {@link #apply}, from the event's raw JSON: the form the Lambda function is registered in. Spring Cloud
     * Function's AWS adapter, given an event whose body is a JSON array, calls a typed function
     * once per array element, each element taken as an event of its own: a client could smuggle
     * events in a body. Reading the event ourselves keeps one request one event. Jackson 3, which
     * Spring loads anyway, reads it, so the package needs no {@code aws-lambda-java-serialization}
     * (see docs/performance.md).
     */
    public APIGatewayProxyResponseEvent applyRaw(byte[] rawEvent) {
        APIGatewayProxyRequestEvent event;
        try {
            event = EVENTS.readValue(rawEvent);
        } catch (RuntimeException e) {
            // Only a caller other than API Gateway can send this.
            log.warn("Unreadable API Gateway event (" + e.getClass().getSimpleName() + ")");
            event = null;
        }
        if (event == null) {
            return error(RequestError.BAD_REQUEST, "Not an API Gateway proxy event", null, null, JSON);
        }
        return apply(event);
    }

    @Override
    public APIGatewayProxyResponseEvent apply(APIGatewayProxyRequestEvent event) {
        var request = new ApiRequest(event == null ? new APIGatewayProxyRequestEvent() : event);
        String origin = firstValue(request, "origin");
        String mediaType = responseMediaType(request);
        try {
            return route(request, origin, mediaType);
        } catch (HttpException e) {
            var response = error(e.code(), e.getMessage(), null, origin, mediaType);
            if (e.allow() != null) {
                response.getHeaders().put("Allow", e.allow());
            }
            if (e.challenge() != null) {
                response.getHeaders().put(DpopRequests.WWW_AUTHENTICATE, e.challenge());
            }
            return response;
        } catch (UserStoreUnavailableException e) {
            log.warn("User store unavailable (request " + request.requestId() + ")", e);
            return error(RequestError.SERVICE_UNAVAILABLE, "Service temporarily unavailable, please retry",
                    request.requestId(), origin, mediaType);
        } catch (RuntimeException e) {
            // Never the exception text: it may carry internals. The request id links to the log.
            log.error("Request failed (request " + request.requestId() + ")", e);
            return error(RequestError.INTERNAL_SERVER_ERROR, "Internal server error", request.requestId(),
                    origin, mediaType);
        }
    }

    private APIGatewayProxyResponseEvent route(ApiRequest request, String origin, String mediaType) {
        String path = request.path();
        if (wellKnown.serves(path)) {
            return wellKnown.respond(request, origin);
        }
        if (!path.equals(GRAPHQL_PATH) && !path.equals(GRAPHQL_PATH + "/")) {
            throw new HttpException(RequestError.NOT_FOUND, "Not found: the GraphQL endpoint is " + GRAPHQL_PATH);
        }
        GraphqlRequest graphqlRequest = switch (request.method()) {
            case "OPTIONS" -> null;
            case "GET" -> fromQueryString(request);
            case "POST" -> fromBody(request);
            default -> throw new HttpException(RequestError.METHOD_NOT_ALLOWED, "Method not allowed: use GET or POST",
                    "GET, POST, OPTIONS");
        };
        if (graphqlRequest == null) {
            var headers = new LinkedHashMap<String, String>();
            cors.addPreflightTo(headers, origin);
            return response(204, headers, "");
        }
        Caller caller = request.caller(firstValue(request, "user-agent"));
        String accessToken = AccessTokenHeaders.accessToken(request);
        DpopProofs.Proof proof = dpop == null ? null : dpop.proof(request, accessToken).orElse(null);
        if (proof != null) {
            caller = caller.withKey(proof.thumbprint());
        }
        AuthOutcome auth = middleware.authenticate(accessToken, request.header(REFRESH_TOKEN_HEADER).orElse(null),
                caller, proof);
        ExecutionResult result = engine.execute(graphqlRequest,
                new RequestContext(auth.principal(), auth.liveUser(), caller));

        var headers = baseHeaders(origin, mediaType);
        auth.refreshedTokens().ifPresent(tokens -> {
            headers.put(ACCESS_TOKEN_HEADER, tokens.accessToken());
            headers.put(REFRESH_TOKEN_HEADER, tokens.refreshToken());
        });
        if (auth.proofMissing()) {
            headers.put(DpopRequests.WWW_AUTHENTICATE, DpopRequests.TOKEN_CHALLENGE);
        }
        int status = status(result, mediaType);
        if (status == RequestError.METHOD_NOT_ALLOWED.status()) {
            headers.put("Allow", "POST");
        }
        return response(status, headers, MAPPER.writeValueAsString(result.toSpecification()));
    }

    /**
     * Only a refusal of the request sets a status of its own (the limits, a mutation over GET, a
     * document that cannot run: 400, or 200 for legacy JSON as GraphQL over HTTP says). Otherwise
     * a response with no data at all is 503 when the store was why and 500 when a bug was (clients
     * and API Gateway retry on those); anything else is 200, whatever the fields' errors.
     */
    private static int status(ExecutionResult result, String mediaType) {
        boolean legacyJson = !mediaType.equals(GRAPHQL_RESPONSE_JSON);
        List<ErrorCode> codes = result.getErrors().stream()
                .map(error -> GraphqlErrors.code(error).orElse(ErrorType.INTERNAL_SERVER_ERROR))
                .toList();
        for (ErrorCode code : codes) {
            if (code instanceof RequestError refusal) {
                return refusal.status(legacyJson);
            }
        }
        if (!hasAnyData(result)) {
            if (codes.contains(ErrorType.SERVICE_UNAVAILABLE)) {
                return RequestError.SERVICE_UNAVAILABLE.status();
            }
            if (codes.contains(ErrorType.INTERNAL_SERVER_ERROR)) {
                return RequestError.INTERNAL_SERVER_ERROR.status();
            }
        }
        return 200;
    }

    private static boolean hasAnyData(ExecutionResult result) {
        return result.isDataPresent() && hasData(result.getData());
    }

    /** A value, or an object with a value somewhere inside; an object of nulls is no data. */
    private static boolean hasData(Object value) {
        if (value instanceof Map<?, ?> object) {
            return object.values().stream().anyMatch(GraphqlHttpHandler::hasData);
        }
        return value != null;
    }

    /** GET: queries only; the engine refuses the operation it would run if it is a mutation. */
    private GraphqlRequest fromQueryString(ApiRequest request) {
        String query = request.queryParameter("query")
                .orElseThrow(() -> HttpException.badRequest("Missing query parameter 'query'"));
        JsonNode variables = request.queryParameter("variables").map(text -> parseJson(text, "variables")).orElse(null);
        JsonNode extensions = request.queryParameter("extensions").map(text -> parseJson(text, "extensions")).orElse(null);
        return new GraphqlRequest(query, request.queryParameter("operationName").orElse(null),
                object(variables, "variables"), object(extensions, "extensions"), true);
    }

    private GraphqlRequest fromBody(ApiRequest request) {
        String contentType = request.header("content-type").orElse("");
        String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mime.equals(JSON)) {
            throw new HttpException(RequestError.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        JsonNode body = parseJson(request.body(maxBodyBytes), "body");
        if (!body.isObject()) {
            throw HttpException.badRequest("Body must be a JSON object with a 'query' string");
        }
        JsonNode query = body.get("query");
        if (query == null || !query.isString() || query.stringValue().isBlank()) {
            throw HttpException.badRequest("Body must have a non-empty 'query' string");
        }
        JsonNode operationName = body.get("operationName");
        if (operationName != null && !operationName.isNull() && !operationName.isString()) {
            throw HttpException.badRequest("'operationName' must be a string");
        }
        return new GraphqlRequest(query.stringValue(),
                operationName == null || operationName.isNull() ? null : operationName.stringValue(),
                object(body.get("variables"), "variables"), object(body.get("extensions"), "extensions"), false);
    }

    /** {@code variables} and {@code extensions}: absent or null, or else a JSON object. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw HttpException.badRequest("'" + name + "' must be a JSON object");
        }
        return MAPPER.convertValue(node, Map.class);
    }

    private static JsonNode parseJson(String text, String what) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw HttpException.badRequest("The " + what + " is empty: send JSON");
            }
            return node;
        } catch (JacksonException e) {
            throw HttpException.badRequest("The " + what + " is not valid JSON");
        }
    }

    /** graphql-response+json only when the client asks for it; otherwise the legacy type. */
    private static String responseMediaType(ApiRequest request) {
        String accept = firstValue(request, "accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(GRAPHQL_RESPONSE_JSON)
                ? GRAPHQL_RESPONSE_JSON
                : JSON;
    }

    /** For headers that only shape the answer, a repeated header is not worth refusing the request. */
    private static String firstValue(ApiRequest request, String name) {
        try {
            return request.header(name).orElse(null);
        } catch (HttpException e) {
            return null;
        }
    }

    private APIGatewayProxyResponseEvent error(RequestError code, String message, String requestId,
                                               String origin, String mediaType) {
        return response(code.status(), baseHeaders(origin, mediaType),
                MAPPER.writeValueAsString(GraphqlErrors.body(code, message, requestId)));
    }

    private Map<String, String> baseHeaders(String origin, String mediaType) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", mediaType + "; charset=utf-8");
        cors.addTo(headers, origin);
        return headers;
    }

    private static APIGatewayProxyResponseEvent response(int status, Map<String, String> headers, String body) {
        // Responses may carry tokens: no shared cache may keep them.
        headers.put("Cache-Control", "no-store");
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false);
    }
}
