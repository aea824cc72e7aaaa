package dev.tokenauth.config;

import java.time.Clock;

import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.graphql.GraphqlEngine;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.ops.Metrics;
import dev.tokenauth.ops.SecurityEventLog;
import dev.tokenauth.ops.UsernameDigest;
import dev.tokenauth.session.TokenMiddleware;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.AccountService;
import dev.tokenauth.user.PasswordHasher;
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
                         DynamoUserRepository users, Metrics metrics, SecurityEvents securityEvents) {

    public static Components build(AppConfig config, DynamoDbClient dynamo, Clock clock) {
        // Security events and metrics first: the services record into them.
        var metrics = new Metrics(config.metricsNamespace(), clock, Metrics.standardOutput());
        var securityEvents = new SecurityEventLog(metrics, UsernameDigest.derivedFrom(config.tokens().accessSecret()),
                clock, Metrics.standardOutput());
        var tokens = new TokenService(config.tokens(), clock);
        var hasher = new PasswordHasher(config.bcryptCost());
        var users = new DynamoUserRepository(dynamo, config.usersTable());
        var attempts = new DynamoLoginAttempts(dynamo, config.usersTable(), config.accounts().backoff().memory());
        var accounts = new AccountService(users, attempts, hasher, tokens, clock, config.accounts());
        var handler = new GraphqlHttpHandler(new TokenMiddleware(tokens, accounts),
                new GraphqlEngine(accounts, config.graphql()), config.corsAllowedOrigins(), config.maxBodyBytes());
        return new Components(handler, tokens, hasher, users, metrics, securityEvents);
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
