package dev.tokenauth.config;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.tokenauth.account.AccountDeletionService;
import dev.tokenauth.account.EmailCodes;
import dev.tokenauth.account.EmailVerificationService;
import dev.tokenauth.account.LoginService;
import dev.tokenauth.account.LoginThrottle;
import dev.tokenauth.account.MailThrottle;
import dev.tokenauth.account.PasskeyService;
import dev.tokenauth.account.PasswordChangeService;
import dev.tokenauth.account.PasswordResetService;
import dev.tokenauth.account.RegistrationService;
import dev.tokenauth.account.RegistrationThrottle;
import dev.tokenauth.account.ResponseFloor;
import dev.tokenauth.account.RoleAdministration;
import dev.tokenauth.account.SecondFactor;
import dev.tokenauth.account.TotpKeys;
import dev.tokenauth.account.TotpService;
import dev.tokenauth.account.UserDataDeletion;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.graphql.GraphqlEngine;
import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.graphql.account.AccountModule;
import dev.tokenauth.graphql.account.AccountOperations;
import dev.tokenauth.graphql.account.PasskeysModule;
import dev.tokenauth.graphql.account.RecoveryModule;
import dev.tokenauth.graphql.account.RolesModule;
import dev.tokenauth.graphql.account.TotpModule;
import dev.tokenauth.http.GraphqlHttpHandler;
import dev.tokenauth.mail.ConsoleOutbox;
import dev.tokenauth.mail.MailTemplates;
import dev.tokenauth.mail.Mailer;
import dev.tokenauth.mail.ses.SesMailer;
import dev.tokenauth.module.ModuleContext;
import dev.tokenauth.module.ModuleFactory;
import dev.tokenauth.ops.Metrics;
import dev.tokenauth.ops.SecurityEventLog;
import dev.tokenauth.ops.UsernameDigest;
import dev.tokenauth.session.DpopMode;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.session.TokenMiddleware;
import dev.tokenauth.token.DpopProofs;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.dynamodb.DynamoAttemptCounters;
import dev.tokenauth.user.dynamodb.DynamoEmailStore;
import dev.tokenauth.user.dynamodb.DynamoPasskeyChallenges;
import dev.tokenauth.user.dynamodb.DynamoPasskeys;
import dev.tokenauth.user.dynamodb.DynamoTotpStore;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The object graph, built from the configuration with plain constructors: no scanning, no
 * reflection. The parts beyond the handler are exposed for SnapStart priming.
 */
public record Components(GraphqlHttpHandler handler, TokenService tokens, PasswordHasher hasher,
                         DynamoUserRepository users, Metrics metrics, SecurityEvents securityEvents, Mailer mailer) {

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
        var dpop = DpopSettings.read(config.settings());
        var sessionPolicy = accounts.sessions();
        var sessions = new SessionService(users, tokens, clock, new SessionService.Policy(sessionPolicy.maxSessions(),
                sessionPolicy.refreshGrace(), sessionPolicy.maxLifetime(), dpop.mode()), events);
        var mail = config.mail();
        Mailer mailer = mail.sender() == AppConfig.MailSender.SES
                ? new SesMailer(sesClient(config), mail.from())
                : new ConsoleOutbox(Metrics.standardOutput());
        var emailStore = new DynamoEmailStore(dynamo, config.usersTable());
        // Codes are keyed from the refresh key, as device tokens are: no new secret to manage.
        var codes = new EmailCodes(config.tokens().refreshSecret(), mail.codeTtl());
        var mailThrottle = new MailThrottle(counters, mail.perAddressPerHour(), mail.perIpPerHour(), codes);
        var templates = new MailTemplates();
        var verification = new EmailVerificationService(users, emailStore, codes, mailThrottle, mailer, templates,
                hasher, loginThrottle, sessions, clock, events);
        var reset = new PasswordResetService(users, emailStore, codes, mailThrottle, mailer, templates, hasher,
                loginThrottle, new ResponseFloor(clock, mail.resetResponseFloor(), ResponseFloor.Pause.THREAD), clock,
                events);
        var passkeyStore = new DynamoPasskeys(dynamo, config.usersTable());
        var passkeys = PasskeySettings.read(config.settings()).map(policy -> new PasskeyService(policy, passkeyStore,
                new DynamoPasskeyChallenges(dynamo, config.usersTable()), users, hasher, loginThrottle, sessions, tokens,
                clock, events));
        var totpKeys = new TotpKeys(config.mfaKeys().secret(), config.mfaKeys().previous());
        var totpStore = new DynamoTotpStore(dynamo, config.usersTable());
        var secondFactor = new SecondFactor(totpStore, totpKeys, loginThrottle, clock, events);
        var totp = new TotpService(users, totpStore, totpKeys, secondFactor, hasher, loginThrottle, counters, sessions,
                tokens, clock, events);
        UserDataDeletion moduleData = userId -> {
            // Whether or not passkeys are on now: they may have been when the user registered some.
            passkeyStore.deleteAll(userId);
            extra.forEach(module -> module.deleteUserData(userId));
        };
        var operations = new AccountOperations(
                new RegistrationService(users, hasher,
                        new RegistrationThrottle(counters, accounts.registrationsPerIpPerHour(), Duration.ofHours(1)),
                        sessions, clock, accounts.registrationEnabled(), events, verification),
                new LoginService(users, hasher, loginThrottle, sessions, tokens, clock, events, totp),
                new PasswordChangeService(users, hasher, loginThrottle, sessions, clock, events),
                new AccountDeletionService(users, hasher, loginThrottle, sessions, clock, events, moduleData),
                sessions, secondFactor);
        var modules = new ArrayList<GraphqlModule>(List.of(new AccountModule(operations),
                new RolesModule(new RoleAdministration(users), secondFactor),
                new RecoveryModule(verification, reset, secondFactor), new PasskeysModule(passkeys), new TotpModule(totp)));
        modules.addAll(extra);
        var handler = new GraphqlHttpHandler(new TokenMiddleware(tokens, sessions),
                new GraphqlEngine(modules, config.graphql(), sessions::liveUser), config.corsAllowedOrigins(),
                config.maxBodyBytes(), tokens, dpop.mode() == DpopMode.OFF ? null : new DpopProofs(clock), dpop.url());
        return new Components(handler, tokens, hasher, users, metrics, events, mailer);
    }

    /** The SES client, built once like the DynamoDB client, with the same light HTTP client and credentials chain. */
    static SesV2Client sesClient(AppConfig config) {
        var builder = SesV2Client.builder().httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        config.awsRegion().map(Region::of).ifPresent(builder::region);
        return builder.build();
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
