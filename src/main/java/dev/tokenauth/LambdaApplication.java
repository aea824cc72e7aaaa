package dev.tokenauth;

import java.time.Clock;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.Components;
import dev.tokenauth.config.SecretsManagerFetcher;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionalSpringApplication;
import org.springframework.cloud.function.context.catalog.FunctionTypeUtils;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
        context.registerBean(AppConfig.class,
                () -> AppConfig.load(context.getEnvironment()::getProperty, new SecretsManagerFetcher()));
        context.registerBean(DynamoDbClient.class, () -> Components.dynamoDbClient(context.getBean(AppConfig.class)));
        context.registerBean(Components.class, () -> Components.build(context.getBean(AppConfig.class),
                context.getBean(DynamoDbClient.class), Clock.systemUTC()));
        context.registerBean(FUNCTION_NAME, FunctionRegistration.class,
                () -> new FunctionRegistration<>(context.getBean(Components.class).handler(), FUNCTION_NAME)
                        .type(FunctionTypeUtils.functionType(APIGatewayProxyRequestEvent.class,
                                APIGatewayProxyResponseEvent.class)));
        context.registerBean(SnapStartPriming.class,
                () -> new SnapStartPriming(context, context.getBean(Components.class)));
    }
}
