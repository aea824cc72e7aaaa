package dev.tokenauth;

import java.lang.reflect.Type;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.Components;
import dev.tokenauth.config.SecretsManagerFetcher;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.module.ModuleFactory;
import dev.tokenauth.ops.ObservedFunction;
import dev.tokenauth.ops.StartupOutput;
import dev.tokenauth.snapstart.SnapStartPriming;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionalSpringApplication;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.messaging.Message;

/**
 * The Spring entry point. Beans are registered functionally (no component scanning, no
 * configuration-class parsing), which {@code FunctionInvoker} detects and starts through
 * {@link FunctionalSpringApplication}: the cheapest start Spring offers.
 */
public class LambdaApplication implements ApplicationContextInitializer<GenericApplicationContext> {

    /** The function definition, as {@code spring.cloud.function.definition} names it. */
    public static final String FUNCTION_NAME = "graphql";

    // Handed from EarlyStart, which starts building, to initialize, which registers the result.
    private static final AtomicReference<Start> BUILDING = new AtomicReference<>();
    /** How many Spring contexts this class has initialised in this process: one, or priming went wrong. */
    static final AtomicInteger CONTEXTS = new AtomicInteger();

    /**
     * The parts being built, the start-up warm-up that runs once they are, and what they were
     * built from (the SnapStart priming builds a second graph from it).
     */
    record Start(CompletableFuture<Components> components, CompletableFuture<Boolean> warmUp, AppConfig config,
                 List<ModuleFactory> modules) {
    }

    private final List<ModuleFactory> extraModules;

    /** The built-in modules and the ones found on the class path (see {@link ModuleFactory}). */
    public LambdaApplication() {
        this(List.of());
    }

    /**
     * With more modules than the class path holds, for a subclass that names them (a test's own
     * modules). Such a subclass builds its parts in {@link #initialize}, not early: only this class
     * starts early.
     */
    protected LambdaApplication(List<ModuleFactory> extraModules) {
        this.extraModules = List.copyOf(extraModules);
    }

    public static void main(String[] args) {
        FunctionalSpringApplication.run(LambdaApplication.class, args);
    }

    /**
     * Starts building the parts the moment Spring starts, well before Spring calls
     * {@link #initialize}: Spring calls the listeners of {@code META-INF/spring.factories} first thing.
     * Cold start is class loading, and Spring's bootstrap and our parts (the AWS SDK client, the
     * GraphQL schema, the JWT verifiers) load disjoint classes, so ours load on a second thread.
     */
    public static final class EarlyStart implements ApplicationListener<SpringApplicationEvent> {
        @Override
        public void onApplicationEvent(SpringApplicationEvent event) {
            if (!event.getSpringApplication().getAllSources().contains(LambdaApplication.class)) {
                return;
            }
            if (event instanceof ApplicationStartingEvent) {
                // Keeps the log all JSON: drops the adapter's "======> SOURCE:" line (see StartupOutput).
                StartupOutput.install();
                // Spring's environment is not built yet; ours are system properties over environment
                // variables, which this one resolves as Spring's will.
                BUILDING.set(startBuilding(loadConfig(new StandardEnvironment()::getProperty), ModuleFactory.discover()));
            } else if (event instanceof ApplicationPreparedEvent || event instanceof ApplicationFailedEvent) {
                StartupOutput.uninstall();
            }
        }
    }

    @Override
    public void initialize(GenericApplicationContext context) {
        CONTEXTS.incrementAndGet();
        Start started = extraModules.isEmpty() ? BUILDING.getAndSet(null) : null;
        Start start = started != null ? started
                : startBuilding(loadConfig(context.getEnvironment()::getProperty), withDiscovered(extraModules));
        context.registerBean(Components.class, () -> await(start.components()));
        // The function takes the raw event and reads it itself (see GraphqlHttpHandler.applyRaw); it
        // takes it as a message for the Lambda context in its headers (see ObservedFunction).
        context.registerBean(FUNCTION_NAME, FunctionRegistration.class, () -> {
            Components parts = context.getBean(Components.class);
            GraphqlHttpHandler handler = parts.handler();
            var function = new ObservedFunction(handler::applyRaw, parts.metrics());
            Type message = ResolvableType.forClassWithGenerics(Message.class, byte[].class).getType();
            return new FunctionRegistration<>(function, FUNCTION_NAME)
                    .type(FunctionTypeUtils.functionType(message, APIGatewayProxyResponseEvent.class));
        });
        context.registerBean(SnapStartPriming.class, () -> new SnapStartPriming(context, FUNCTION_NAME,
                CONTEXTS::get, context.getBean(Components.class), start.warmUp(),
                new SnapStartPriming.Sources(start.config(), start.modules())));
    }

    /**
     * Read on the starting thread: a bad configuration stops the start with its own message, which
     * Lambda reports as the init error (thrown from a bean, Spring would wrap it).
     */
    private static AppConfig loadConfig(UnaryOperator<String> properties) {
        return AppConfig.load(properties, new SecretsManagerFetcher());
    }

    private static List<ModuleFactory> withDiscovered(List<ModuleFactory> extraModules) {
        var all = new ArrayList<>(ModuleFactory.discover());
        all.addAll(extraModules);
        return all;
    }

    private static Start startBuilding(AppConfig config, List<ModuleFactory> modules) {
        var future = new CompletableFuture<Components>();
        var warmUp = new CompletableFuture<Boolean>();
        Thread builder = new Thread(() -> {
            try {
                Components built = Components.build(config, Components.dynamoDbClient(config), Clock.systemUTC(),
                        modules);
                future.complete(built);
                // Then run the hot paths once (the first DynamoDB call opens the connection), in
                // parallel with the rest of Spring's start, rather than in the first request.
                warmUp.complete(SnapStartPriming.warmUp(built));
            } catch (Throwable e) {
                future.completeExceptionally(e);
                warmUp.completeExceptionally(e);
            }
        }, "token-auth-init");
        builder.setDaemon(true);
        builder.start();
        return new Start(future, warmUp, config, modules);
    }

    /** The built parts, or the failure that stopped them, as it was. */
    private static Components await(CompletableFuture<Components> components) {
        try {
            return components.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
