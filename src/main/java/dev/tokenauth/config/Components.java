package dev.tokenauth.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.graphql.GraphqlEngine;
import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.graphql.LiveUsers;
import dev.tokenauth.graphql.account.AccountModule;
import dev.tokenauth.graphql.account.RolesModule;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.session.TokenMiddleware;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.AccountService;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.Roles;
import dev.tokenauth.user.dynamodb.DynamoLoginAttempts;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The object graph, built from the configuration with plain constructors: no scanning, no
 * reflection. The parts beyond the handler are exposed for SnapStart priming.
 */
public record Components(GraphqlHttpHandler handler, TokenService tokens, PasswordHasher hasher,
                         DynamoUserRepository users) {

    /**
     * Builds a module from the shared parts; the modules beyond the built-in ones are listed
     * where the application is started ({@code LambdaApplication}).
     */
    @FunctionalInterface
    public interface ModuleFactory {
        GraphqlModule create(DynamoDbClient dynamo, Clock clock);
    }

    public static Components build(AppConfig config, DynamoDbClient dynamo, Clock clock) {
        return build(config, dynamo, clock, List.of());
    }

    public static Components build(AppConfig config, DynamoDbClient dynamo, Clock clock, List<ModuleFactory> extra) {
        var tokens = new TokenService(config.tokens(), clock);
        var hasher = new PasswordHasher(config.bcryptCost());
        var users = new DynamoUserRepository(dynamo, config.usersTable());
        var attempts = new DynamoLoginAttempts(dynamo, config.usersTable(), config.accounts().backoff().memory());
        var accounts = new AccountService(users, attempts, hasher, tokens, clock, config.accounts());
        var modules = new ArrayList<GraphqlModule>(List.of(new AccountModule(accounts), new RolesModule(new Roles(users))));
        extra.forEach(factory -> modules.add(factory.create(dynamo, clock)));
        LiveUsers live = principal -> users.findByUsername(principal.username())
                .filter(user -> user.isCurrentFor(principal));
        var handler = new GraphqlHttpHandler(new TokenMiddleware(tokens, accounts),
                new GraphqlEngine(modules, config.graphql(), live), config.corsAllowedOrigins(), config.maxBodyBytes());
        return new Components(handler, tokens, hasher, users);
    }

    /**
     * One client per process: it holds the connection pool and the resolved credentials. The
     * default credentials chain is kept on purpose: under SnapStart, Lambda hands credentials
     * through the container endpoint, not environment variables.
     */
    public static DynamoDbClient dynamoDbClient(AppConfig config) {
        var builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        config.awsRegion().map(Region::of).ifPresent(builder::region);
        if (config.dynamoDbEndpoint().isPresent()) {
            // A local server (dynalite, LocalStack) accepts any credentials and any region.
            builder.endpointOverride(config.dynamoDbEndpoint().get())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            if (config.awsRegion().isEmpty()) {
                builder.region(Region.US_EAST_1);
            }
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }
}
