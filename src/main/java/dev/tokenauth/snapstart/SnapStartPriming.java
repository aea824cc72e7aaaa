package dev.tokenauth.snapstart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.Components;
import dev.tokenauth.mail.ses.SesMailer;
import dev.tokenauth.module.ModuleFactory;
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
 * SnapStart runtime hooks. The start-up warm-up (run on the thread that built the parts) has run
 * the hot paths once through the handler: a preflight, an anonymous query, a query with a freshly
 * minted access token, the refresh path (one DynamoDB read of a name no user can have), a rejected
 * request, and a BCrypt check; nothing is written. Before the snapshot, this waits for that
 * warm-up, so no DynamoDB call is in flight inside the snapshot, then runs the paths only
 * {@code FunctionInvoker} adds (event bytes to message, response to bytes) with one request, or
 * all of them that way if the warm-up failed; then every path of an account's life on a graph of
 * its own over reserved keys ({@link EveryPath}), so that the first requests after a restore load
 * no classes of their own. After a restore, the salt source is renewed and the DynamoDB
 * connection re-opened.
 */
public final class SnapStartPriming implements Resource {

    private static final Log log = LogFactory.getLog(SnapStartPriming.class);
    private static final tools.jackson.databind.json.JsonMapper EVENT_JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();
    /** Fails the username rules, so no stored user can ever be read by it. */
    private static final String NOBODY = DynamoUserRepository.NOBODY;

    private static final String PRIMING_PASSWORD = "snapstart-priming-password";
    private static final Map<String, Object> ANONYMOUS_QUERY = event("POST", Map.of(), "{\"query\":\"{ __typename }\"}");

    private final ApplicationContext context;
    private final String functionName;
    private final IntSupplier springContexts;
    private final Components components;
    private final CompletableFuture<Boolean> warmUp;
    private final Sources sources;

    /** What the function's graph was built from: the priming builds its own graph from the same. */
    public record Sources(AppConfig config, List<ModuleFactory> modules) {
    }

    /**
     * For the function bean {@code functionName} of {@code context}; {@code springContexts} counts
     * the Spring contexts the application has started in this process, for the checkpoint's log.
     */
    public SnapStartPriming(ApplicationContext context, String functionName, IntSupplier springContexts,
                            Components components, CompletableFuture<Boolean> warmUp, Sources sources) {
        this.context = context;
        this.functionName = functionName;
        this.springContexts = springContexts;
        this.components = components;
        this.warmUp = warmUp;
        this.sources = sources;
        // The global context holds resources weakly; the Spring bean that owns this one keeps it alive.
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> ignored) throws IOException {
        long start = System.nanoTime();
        boolean warmedUp = awaitWarmUp();
        if (warmedUp) {
            // Once through the invoker's own conversions is enough when the handler's paths are warm.
            invoke(ANONYMOUS_QUERY);
        } else {
            components.hasher().matchesDecoy(PRIMING_PASSWORD);
            for (Map<String, Object> event : primingEvents(components)) {
                invoke(event);
            }
        }
        String everyPath;
        try {
            EveryPath.Outcome outcome = EveryPath.run(sources.config(), sources.modules());
            everyPath = outcome.requests() + " requests over reserved keys, " + outcome.removed() + " items removed"
                    + (outcome.unexpected().isEmpty() ? "" : ", unexpected answers: " + outcome.unexpected());
        } catch (RuntimeException e) {
            // The snapshot is still good: the first requests load what the priming did not reach.
            log.warn("SnapStart priming of every path failed", e);
            everyPath = "failed (" + e.getClass().getSimpleName() + ")";
        }
        // The priming's garbage would be pages of the snapshot, each one faulted in after a restore.
        System.gc();
        long primingMillis = (System.nanoTime() - start) / 1_000_000;
        CheckpointState state = CheckpointState.now(springContexts.getAsInt());
        log.info("SnapStart priming done in " + primingMillis + " ms (start-up warm-up "
                + (warmedUp ? "reused" : "failed, all paths primed here") + "; every path: " + everyPath
                + "); at the checkpoint: " + state);
    }

    /** Waits for the start-up warm-up; false if it failed (its paths are then primed here). */
    private boolean awaitWarmUp() {
        try {
            return warmUp.join();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The same paths, straight through the handler: for a start without a snapshot, run on the
     * thread that built the parts while Spring finishes starting, so the first request finds them
     * loaded. Failures are left to that request; false if any path failed or answered 5xx.
     */
    public static boolean warmUp(Components components) {
        try {
            components.hasher().matchesDecoy(PRIMING_PASSWORD);
            if (components.mailer() instanceof SesMailer ses) {
                ses.prime();
            }
            boolean answered = true;
            for (Map<String, Object> event : primingEvents(components)) {
                Integer status = components.handler().applyRaw(EVENT_JSON.writeValueAsBytes(event)).getStatusCode();
                answered &= status != null && status < 500;
            }
            return answered;
        } catch (RuntimeException e) {
            log.debug("Warm-up failed", e);
            return false;
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> ignored) {
        long start = System.nanoTime();
        components.hasher().reseed();
        components.users().reconnect();
        log.info("Restored from a SnapStart snapshot: new salt source, DynamoDB connection re-opened; restore hooks took "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /** Exactly FunctionInvoker's path: bytes to message, the function, message to bytes. */
    private void invoke(Map<String, Object> event) throws IOException {
        JsonMapper json = context.getBean(JsonMapper.class);
        FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class)
                .lookup(functionName, "application/json");
        Message<byte[]> request = AWSLambdaUtils.generateMessage(new ByteArrayInputStream(json.toJson(event)),
                function.getInputType(), function.isSupplier(), json, null);
        byte[] response = AWSLambdaUtils.generateOutputFromObject(request, function.apply(request), json,
                function.getOutputType());
        if (response == null || response.length == 0) {
            log.warn("SnapStart priming got an empty response");
        }
    }

    /** With a freshly minted token pair, so the JWT sign and verify paths run too. */
    private static List<Map<String, Object>> primingEvents(Components components) {
        TokenPair tokens = components.tokens().issue(new Principal(UUID.randomUUID().toString(), NOBODY, 0, "priming"));
        return List.of(
                event("OPTIONS", Map.of("origin", "https://priming.invalid"), null),
                ANONYMOUS_QUERY,
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
