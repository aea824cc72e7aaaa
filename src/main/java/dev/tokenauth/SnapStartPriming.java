package dev.tokenauth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.config.Components;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.ApplicationContext;
import org.springframework.messaging.Message;

/**
 * SnapStart runtime hooks. Before the snapshot, runs the hot paths once, the way
 * {@code FunctionInvoker} runs them (event bytes in, response bytes out), so the snapshot holds
 * loaded classes, a built GraphQL engine and JIT-warm code: a preflight, an anonymous query, a
 * query with a freshly minted access token, the refresh path (one DynamoDB read of a name no user
 * can have), a rejected request, and a BCrypt check. Nothing is written. After a restore, the
 * salt source is renewed and the DynamoDB connection re-opened.
 */
public final class SnapStartPriming implements Resource {

    private static final Log log = LogFactory.getLog(SnapStartPriming.class);
    private static final tools.jackson.databind.json.JsonMapper EVENT_JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();
    /** Fails the username rules, so no stored user can ever be read by it. */
    private static final String NOBODY = DynamoUserRepository.NOBODY;

    private final ApplicationContext context;
    private final Components components;

    public SnapStartPriming(ApplicationContext context, Components components) {
        this.context = context;
        this.components = components;
        // The global context holds resources weakly; the Spring bean that owns this one keeps it alive.
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> ignored) throws IOException {
        long start = System.nanoTime();
        for (Map<String, Object> event : primingEvents(components)) {
            invoke(event);
        }
        log.info("SnapStart priming done in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /**
     * The same paths, straight through the handler: for a start without a snapshot, run on the
     * thread that built the parts while Spring finishes starting, so the first request finds them
     * loaded. Failures are left to that request.
     */
    public static void warmUp(Components components) {
        try {
            for (Map<String, Object> event : primingEvents(components)) {
                components.handler().applyRaw(EVENT_JSON.writeValueAsBytes(event));
            }
        } catch (RuntimeException e) {
            log.debug("Warm-up failed", e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> ignored) {
        components.hasher().reseed();
        components.users().reconnect();
        log.info("Restored from a SnapStart snapshot: new salt source, DynamoDB connection re-opened");
    }

    /** Exactly FunctionInvoker's path: bytes to message, the function, message to bytes. */
    private void invoke(Map<String, Object> event) throws IOException {
        JsonMapper json = context.getBean(JsonMapper.class);
        FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class)
                .lookup(LambdaApplication.FUNCTION_NAME, "application/json");
        Message<byte[]> request = AWSLambdaUtils.generateMessage(new ByteArrayInputStream(json.toJson(event)),
                function.getInputType(), function.isSupplier(), json, null);
        byte[] response = AWSLambdaUtils.generateOutputFromObject(request, function.apply(request), json,
                function.getOutputType());
        if (response == null || response.length == 0) {
            log.warn("SnapStart priming got an empty response");
        }
    }

    /** Also checks a password against the decoy hash, and mints and verifies tokens: BCrypt and JWT. */
    private static List<Map<String, Object>> primingEvents(Components components) {
        TokenPair tokens = components.tokens().issue(new Principal(UUID.randomUUID().toString(), NOBODY, 0, "priming"));
        components.hasher().matchesDecoy("snapstart-priming-password");
        return List.of(
                event("OPTIONS", Map.of("origin", "https://priming.invalid"), null),
                event("POST", Map.of(), "{\"query\":\"{ __typename }\"}"),
                event("POST", Map.of("x-access-token", tokens.accessToken()), "{\"query\":\"{ __typename }\"}"),
                event("POST", Map.of("x-refresh-token", tokens.refreshToken()),
                        "{\"query\":\"{ loggedInUser { id username createdAt } }\"}"),
                event("POST", Map.of(), "{\"query\":"));
    }

    private static Map<String, Object> event(String method, Map<String, String> extraHeaders, String body) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("content-type", "application/json");
        headers.putAll(extraHeaders);
        var event = new LinkedHashMap<String, Object>();
        event.put("resource", "/graphql");
        event.put("path", "/graphql");
        event.put("httpMethod", method);
        event.put("headers", headers);
        event.put("requestContext", Map.of("requestId", "snapstart-priming", "stage", "priming"));
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return event;
    }
}
