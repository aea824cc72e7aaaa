package dev.tokenauth.config;

import java.time.Clock;

import dev.tokenauth.graphql.GraphqlEngine;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.session.TokenMiddleware;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenSettings;
import dev.tokenauth.user.AccountService;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the object graph from the configuration: plain constructors, no scanning, no reflection. */
public final class Components {

    private Components() {
    }

    /** One client per process: it holds the connection pool and the resolved credentials. */
    public static DynamoDbClient dynamoDbClient(AppConfig config) {
        var builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        config.awsRegion().map(Region::of).ifPresent(builder::region);
        config.dynamoDbEndpoint().ifPresent(endpoint -> {
            // A local server (dynalite, LocalStack) accepts any credentials and any region.
            builder.endpointOverride(endpoint)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            if (config.awsRegion().isEmpty()) {
                builder.region(Region.US_EAST_1);
            }
        });
        if (config.dynamoDbEndpoint().isEmpty()) {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    public static GraphqlHttpHandler handler(AppConfig config, DynamoDbClient dynamo, Clock clock) {
        var tokens = new TokenService(new TokenSettings(config.tokenIssuer(), config.accessTokenSecret(),
                config.refreshTokenSecret(), config.accessTokenTtl(), config.refreshTokenTtl()), clock);
        var accounts = new AccountService(new DynamoUserRepository(dynamo, config.usersTable()),
                new PasswordHasher(config.bcryptCost()), tokens, clock, config.registrationEnabled());
        return new GraphqlHttpHandler(new TokenMiddleware(tokens, accounts), new GraphqlEngine(accounts),
                config.corsAllowedOrigins(), config.maxBodyBytes());
    }
}
