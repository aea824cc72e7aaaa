package dev.tokenauth;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.config.AppConfig;
import dev.tokenauth.config.PasskeySettings;
import dev.tokenauth.local.DynamoDbTestServer;
import dev.tokenauth.local.ModuleTables;
import dev.tokenauth.local.UsersTable;
import dev.tokenauth.module.ModuleTable;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenSettings;
import dev.tokenauth.user.dynamodb.DynamoUserRepository;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The deployed handler, started once per test JVM exactly as Lambda starts it: a
 * {@link FunctionInvoker} built from the environment, against a real DynamoDB-compatible server
 * and a table of its own. Tests feed it event bytes and read the response bytes.
 */
public final class LambdaHarness {

    public static final String ISSUER = "token-auth-graphql-test";
    static final String ACCESS_SECRET = randomSecret();
    static final String REFRESH_SECRET = randomSecret();

    private static final Map<Class<?>, LambdaHarness> STARTED = new HashMap<>();

    public final String table;
    public final DynamoDbClient dynamo;
    private final Map<String, String> moduleTables = new HashMap<>();
    private final FunctionInvoker invoker;

    private LambdaHarness(Class<?> application) {
        URI endpoint = DynamoDbTestServer.endpoint();
        this.table = "users-" + UUID.randomUUID();
        this.dynamo = UsersTable.client(endpoint);
        UsersTable.create(dynamo, table);
        // Each table a module on the class path declares, under a name of this harness's own.
        ModuleTables.createAll(dynamo, setting -> {
            String name = setting.toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID();
            moduleTables.put(setting, name);
            return name;
        });
        // FunctionInvoker reads its configuration from the process, as on Lambda; system
        // properties stand in for the environment variables the template sets.
        System.setProperty("MAIN_CLASS", application.getName());
        System.setProperty(AppConfig.USERS_TABLE, table);
        System.setProperty(AppConfig.DYNAMODB_ENDPOINT, endpoint.toString());
        System.setProperty(AppConfig.ACCESS_TOKEN_SECRET, ACCESS_SECRET);
        System.setProperty(AppConfig.REFRESH_TOKEN_SECRET, REFRESH_SECRET);
        System.setProperty(AppConfig.TOKEN_ISSUER, ISSUER);
        System.setProperty(AppConfig.CORS_ALLOWED_ORIGINS, "*");
        // The relying party and page origin of the recorded passkey ceremonies (PasskeyIT).
        System.setProperty(PasskeySettings.WEBAUTHN_RP_ID, "localhost");
        System.setProperty(PasskeySettings.WEBAUTHN_ORIGINS, "http://localhost:47613");
        // To measure which grace honest parallel clients need (docs/security.md): -Dharness.refreshGraceSeconds=0
        String grace = System.getProperty("harness.refreshGraceSeconds");
        if (grace != null) {
            System.setProperty(AppConfig.REFRESH_GRACE_SECONDS, grace);
        }
        this.invoker = new FunctionInvoker();
    }

    /** The deployed application. */
    public static LambdaHarness get() {
        return of(LambdaApplication.class);
    }

    /**
     * Another application class (a subclass with more modules), started once per test JVM with a
     * users table of its own; set any property it reads before the first call.
     */
    public static synchronized LambdaHarness of(Class<? extends LambdaApplication> application) {
        return STARTED.computeIfAbsent(application, LambdaHarness::new);
    }

    public LambdaResponse invoke(Event event) {
        return invoke(event.bytes());
    }

    public LambdaResponse invoke(byte[] eventBytes) {
        return LambdaResponse.parse(invokeRaw(eventBytes));
    }

    /** {@link #invoke(Event)} with the Lambda request id the runtime would hand the handler. */
    public LambdaResponse invoke(Event event, String awsRequestId) {
        return LambdaResponse.parse(invokeRaw(event.bytes(), awsRequestId));
    }

    /** The response bytes as text, unparsed; whatever the invoker throws propagates. */
    String invokeRaw(byte[] eventBytes) {
        return invokeRaw(eventBytes, UUID.randomUUID().toString());
    }

    private String invokeRaw(byte[] eventBytes, String awsRequestId) {
        var out = new ByteArrayOutputStream();
        try {
            invoker.handleRequest(new ByteArrayInputStream(eventBytes), out, new TestLambdaContext(awsRequestId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A token service with the deployed keys, its clock shifted: for minting test tokens. */
    public static TokenService tokens(Duration clockOffset) {
        return new TokenService(new TokenSettings(ISSUER,
                ACCESS_SECRET.getBytes(StandardCharsets.UTF_8), REFRESH_SECRET.getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(15), Duration.ofDays(7)), Clock.offset(Clock.systemUTC(), clockOffset));
    }

    /** The name a module's table has in this harness. */
    public String tableName(ModuleTable moduleTable) {
        return moduleTables.get(moduleTable.nameSetting());
    }

    public DynamoUserRepository users() {
        return new DynamoUserRepository(dynamo, table);
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
