package dev.tokenauth.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.tokenauth.account.AccountDeletionService;
import dev.tokenauth.account.LoginService;
import dev.tokenauth.account.LoginThrottle;
import dev.tokenauth.account.PasswordChangeService;
import dev.tokenauth.account.RegistrationService;
import dev.tokenauth.account.RegistrationThrottle;
import dev.tokenauth.account.RoleAdministration;
import dev.tokenauth.account.UserDataDeletion;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.graphql.GraphqlEngine;
import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.graphql.account.AccountModule;
import dev.tokenauth.graphql.account.AccountOperations;
import dev.tokenauth.graphql.account.RolesModule;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.module.ModuleContext;
import dev.tokenauth.module.ModuleFactory;
import dev.tokenauth.ops.Metrics;
import dev.tokenauth.ops.SecurityEventLog;
import dev.tokenauth.ops.UsernameDigest;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.session.TokenMiddleware;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.dynamodb.DynamoAttemptCounters;
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

    /** With the built-in modules and {@code factories}' modules. */
    public static Components build(AppConfig config, DynamoDbClient dynamo, Clock clock, List<ModuleFactory> factories) {
        return build(config, dynamo, clock, factories, Metrics.standardOutput());
    }

    /**
     * With the security event and metric lines going to {@code lines} instead of standard output:
     * the SnapStart priming's graph writes them nowhere, so no alarm or audit query ever sees them.
     */
    public static Components build(AppConfig config, DynamoDbClient dynamo, Clock clock, List<ModuleFactory> factories,
                                   Consumer<String> lines) {
        // Security events and metrics first: the services record into them.
        var metrics = new Metrics(config.metricsNamespace(), clock, lines);
        var events = new SecurityEventLog(metrics, UsernameDigest.derivedFrom(config.tokens().accessSecret()),
                clock, lines);
        var context = new ModuleContext(dynamo, clock, events, config.settings());
        List<GraphqlModule> extra = factories.stream().map(factory -> factory.create(context)).toList();
        var tokens = new TokenService(config.tokens(), clock);
        var hasher = new PasswordHasher(config.bcryptCost());
        var users = new DynamoUserRepository(dynamo, config.usersTable());
        var counters = new DynamoAttemptCounters(dynamo, config.usersTable());
        var accounts = config.accounts();
        var loginThrottle = new LoginThrottle(counters, accounts.backoff());
        var sessions = new SessionService(users, tokens, clock, accounts.sessions(), events);
        UserDataDeletion moduleData = userId -> extra.forEach(module -> module.deleteUserData(userId));
        var operations = new AccountOperations(
                new RegistrationService(users, hasher,
                        new RegistrationThrottle(counters, accounts.registrationsPerIpPerHour(), Duration.ofHours(1)),
                        sessions, clock, accounts.registrationEnabled(), events),
                new LoginService(users, hasher, loginThrottle, sessions, tokens, clock, events),
                new PasswordChangeService(users, hasher, loginThrottle, sessions, clock, events),
                new AccountDeletionService(users, hasher, loginThrottle, sessions, clock, events, moduleData),
                sessions);
        var modules = new ArrayList<GraphqlModule>(List.of(new AccountModule(operations),
                new RolesModule(new RoleAdministration(users))));
        modules.addAll(extra);
        var handler = new GraphqlHttpHandler(new TokenMiddleware(tokens, sessions),
                new GraphqlEngine(modules, config.graphql(), sessions::liveUser), config.corsAllowedOrigins(),
                config.maxBodyBytes());
        return new Components(handler, tokens, hasher, users, metrics, events);
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
