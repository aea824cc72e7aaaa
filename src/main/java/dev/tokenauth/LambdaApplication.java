package dev.tokenauth;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.Components;
import dev.tokenauth.config.SecretsManagerFetcher;
import dev.tokenauth.http.GraphqlHttpHandler;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionalSpringApplication;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The Spring entry point. Beans are registered functionally (no component scanning, no
 * configuration-class parsing), which {@code FunctionInvoker} detects and starts through
 * {@link FunctionalSpringApplication}: the cheapest start Spring offers.
 */
public class LambdaApplication implements ApplicationContextInitializer<GenericApplicationContext> {

    /** The function definition, as {@code spring.cloud.function.definition} names it. */
    public static final String FUNCTION_NAME = "graphql";

    public static void main(String[] args) {
        FunctionalSpringApplication.run(LambdaApplication.class, args);
    }

    @Override
    public void initialize(GenericApplicationContext context) {
        // Read first and here: a bad configuration stops the start with its own message, which
        // Lambda reports as the init error (thrown from a bean, Spring would wrap it).
        AppConfig config = AppConfig.load(context.getEnvironment()::getProperty, new SecretsManagerFetcher());
        // Cold start is class loading: Spring's bootstrap and our own parts (the AWS SDK client, the
        // GraphQL schema, the JWT verifiers) load disjoint classes, so ours are built on a second
        // thread while Spring starts on this one.
        CompletableFuture<Components> components = startBuilding(config);
        context.registerBean(Components.class, () -> await(components));
        // The function takes the raw event and reads it itself (see GraphqlHttpHandler.applyRaw).
        context.registerBean(FUNCTION_NAME, FunctionRegistration.class, () -> {
            GraphqlHttpHandler handler = context.getBean(Components.class).handler();
            Function<byte[], APIGatewayProxyResponseEvent> function = handler::applyRaw;
            return new FunctionRegistration<>(function, FUNCTION_NAME)
                    .type(FunctionTypeUtils.functionType(byte[].class, APIGatewayProxyResponseEvent.class));
        });
        context.registerBean(SnapStartPriming.class,
                () -> new SnapStartPriming(context, context.getBean(Components.class)));
    }

    private static CompletableFuture<Components> startBuilding(AppConfig config) {
        var future = new CompletableFuture<Components>();
        Thread builder = new Thread(() -> {
            try {
                Components built = Components.build(config, Components.dynamoDbClient(config), Clock.systemUTC());
                future.complete(built);
                // Then run the hot paths once (the first DynamoDB call opens the connection), in
                // parallel with the rest of Spring's start, rather than in the first request.
                SnapStartPriming.warmUp(built);
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        }, "token-auth-init");
        builder.setDaemon(true);
        builder.start();
        return future;
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
