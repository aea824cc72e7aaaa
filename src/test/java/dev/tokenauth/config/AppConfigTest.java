package dev.tokenauth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.tokenauth.token.TokenSettings;
import org.junit.jupiter.api.Test;

class AppConfigTest {

    private static final String ACCESS = "a".repeat(32);
    private static final String REFRESH = "r".repeat(32);

    @Test
    void shouldReadTheSessionEndAndTheRegistrationLimitAndRefuseOutOfRangeValues() {
        AppConfig config = AppConfig.load(env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH,
                AppConfig.SESSION_MAX_SECONDS, "86400", AppConfig.REGISTRATIONS_PER_IP_PER_HOUR, "3",
                AppConfig.DEVICE_TOKEN_TTL_SECONDS, "7200"))::get);
        assertThat(config.accounts().sessions().maxLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(config.accounts().registrationsPerIpPerHour()).isEqualTo(3);
        assertThat(config.tokens().deviceTtl()).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> AppConfig.load(env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH,
                AppConfig.SESSION_MAX_SECONDS, "10", AppConfig.REGISTRATIONS_PER_IP_PER_HOUR, "0"))::get))
                .hasMessageContaining(AppConfig.SESSION_MAX_SECONDS).hasMessageContaining(AppConfig.REGISTRATIONS_PER_IP_PER_HOUR);
    }

    @Test
    void shouldUseSafeDefaults() {
        AppConfig config = AppConfig.load(env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH))::get);
        assertThat(config.tokens().accessTtl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.tokens().refreshTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.bcryptCost()).isEqualTo(10);
        assertThat(config.accounts().registrationEnabled()).isTrue();
        assertThat(config.accounts().sessions().maxSessions()).isEqualTo(10);
        assertThat(config.accounts().sessions().refreshGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.accounts().sessions().maxLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(config.accounts().registrationsPerIpPerHour()).isEqualTo(20);
        assertThat(config.tokens().deviceTtl()).isEqualTo(Duration.ofDays(365));
        assertThat(config.accounts().backoff()).isEqualTo(dev.tokenauth.account.LoginBackoff.DEFAULT);
        assertThat(config.graphql()).isEqualTo(dev.tokenauth.graphql.GraphqlLimits.DEFAULTS);
        assertThat(config.tokens().previousAccessSecret()).isEmpty();
        assertThat(config.corsAllowedOrigins()).containsExactly("*");
        assertThat(config.dynamoDbEndpoint()).isEmpty();
    }

    @Test
    void shouldRefuseToStartWithoutSecretsAndNameEveryProblem() {
        assertThatThrownBy(() -> AppConfig.load(env(Map.of())::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ACCESS_TOKEN_SECRET is not set")
                .hasMessageContaining("REFRESH_TOKEN_SECRET is not set");
    }

    @Test
    void shouldRefuseShortOrEqualSecretsWithoutRevealingThem() {
        assertThatThrownBy(() -> AppConfig.load(env(Map.of("ACCESS_TOKEN_SECRET", "short-secret",
                "REFRESH_TOKEN_SECRET", REFRESH))::get))
                .hasMessageContaining("ACCESS_TOKEN_SECRET is shorter than 32 bytes")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> AppConfig.load(env(Map.of("ACCESS_TOKEN_SECRET", ACCESS,
                "REFRESH_TOKEN_SECRET", ACCESS))::get))
                .hasMessageContaining("must differ")
                .hasMessageNotContaining(ACCESS);
    }

    @Test
    void shouldRefuseAWeakBcryptCostAndBadNumbers() {
        var values = env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH,
                "BCRYPT_COST", "4", "ACCESS_TOKEN_TTL_SECONDS", "soon", "REGISTRATION_ENABLED", "maybe",
                "DYNAMODB_ENDPOINT", "not a url"));
        assertThatThrownBy(() -> AppConfig.load(values::get))
                .hasMessageContaining("BCRYPT_COST must be a whole number from 10 to 16")
                .hasMessageContaining("ACCESS_TOKEN_TTL_SECONDS")
                .hasMessageContaining("REGISTRATION_ENABLED must be true or false")
                .hasMessageContaining("DYNAMODB_ENDPOINT must be an absolute URL");
    }

    @Test
    void shouldReadEveryOverride() {
        var values = env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH,
                "USERS_TABLE", "people", "DYNAMODB_ENDPOINT", "http://localhost:4567",
                "ACCESS_TOKEN_TTL_SECONDS", "60", "REFRESH_TOKEN_TTL_SECONDS", "3600", "BCRYPT_COST", "12",
                "REGISTRATION_ENABLED", "false", "CORS_ALLOWED_ORIGINS", "https://a.example, https://b.example"));
        AppConfig config = AppConfig.load(values::get);
        assertThat(config.usersTable()).isEqualTo("people");
        assertThat(config.dynamoDbEndpoint()).hasValueSatisfying(uri -> assertThat(uri.getPort()).isEqualTo(4567));
        assertThat(config.tokens().accessTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.tokens().refreshTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.bcryptCost()).isEqualTo(12);
        assertThat(config.accounts().registrationEnabled()).isFalse();
        assertThat(config.corsAllowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(config.toString()).doesNotContain(ACCESS, REFRESH);
    }

    @Test
    void shouldReadSecretsFromSecretsManagerWhenOnlyTheArnsAreSet() {
        var values = env(Map.of("ACCESS_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:access",
                "REFRESH_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:refresh"));
        AppConfig config = AppConfig.load(values::get, arn -> arn.endsWith("access") ? ACCESS : REFRESH);
        assertThat(new String(config.tokens().accessSecret())).isEqualTo(ACCESS);
        assertThat(new String(config.tokens().refreshSecret())).isEqualTo(REFRESH);
    }

    @Test
    void shouldPreferPlainSecretsOverArns() {
        var values = env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH,
                "ACCESS_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:access"));
        AppConfig config = AppConfig.load(values::get, arn -> {
            throw new AssertionError("must not be fetched");
        });
        assertThat(new String(config.tokens().accessSecret())).isEqualTo(ACCESS);
    }

    @Test
    void shouldReportAnUnreadableSecretByName() {
        var values = env(Map.of("ACCESS_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:access",
                "REFRESH_TOKEN_SECRET", REFRESH));
        assertThatThrownBy(() -> AppConfig.load(values::get, arn -> {
            throw new IllegalStateException("AccessDenied");
        })).hasMessageContaining("ACCESS_TOKEN_SECRET_ARN could not be read: AccessDenied")
                .hasMessageNotContaining(REFRESH);
    }

    @Test
    void shouldReadPreviousKeysForRotationFromVariablesOrTheSecretsPreviousVersion() {
        var plain = env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH,
                "PREVIOUS_ACCESS_TOKEN_SECRET", "p".repeat(32)));
        AppConfig fromVariables = AppConfig.load(plain::get);
        assertThat(fromVariables.tokens().previousAccessSecret()).hasValueSatisfying(
                key -> assertThat(new String(key)).isEqualTo("p".repeat(32)));
        assertThat(fromVariables.tokens().previousRefreshSecret()).isEmpty();

        var arns = env(Map.of("ACCESS_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:access",
                "REFRESH_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:refresh"));
        AppConfig fromStore = AppConfig.load(arns::get, new SecretFetcher() {
            @Override
            public String fetch(String arn) {
                return arn.endsWith("access") ? ACCESS : REFRESH;
            }

            @Override
            public java.util.Optional<String> fetchPrevious(String arn) {
                return arn.endsWith("access") ? java.util.Optional.of("o".repeat(40)) : java.util.Optional.empty();
            }
        });
        assertThat(fromStore.tokens().previousAccessSecret()).hasValueSatisfying(
                key -> assertThat(new String(key)).isEqualTo("o".repeat(40)));
        assertThat(fromStore.tokens().previousRefreshSecret()).isEmpty();
    }

    @Test
    void shouldReadTheNextAccessKeyFromAVariableOrTheSecretsPendingVersionAndTheAudience() {
        var plain = env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH,
                "NEXT_ACCESS_TOKEN_SECRET", "n".repeat(32), "ACCESS_TOKEN_AUDIENCE", "orders-api"));
        AppConfig fromVariables = AppConfig.load(plain::get);
        assertThat(fromVariables.tokens().nextAccessSecret()).hasValueSatisfying(
                key -> assertThat(new String(key)).isEqualTo("n".repeat(32)));
        assertThat(fromVariables.tokens().audience()).isEqualTo("orders-api");
        assertThat(AppConfig.load(env(Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH))::get)
                .tokens().audience()).isEqualTo(TokenSettings.DEFAULT_AUDIENCE);

        var arns = env(Map.of("ACCESS_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:access",
                "REFRESH_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:refresh"));
        AppConfig fromStore = AppConfig.load(arns::get, new SecretFetcher() {
            @Override
            public String fetch(String arn) {
                return arn.endsWith("access") ? ACCESS : REFRESH;
            }

            @Override
            public java.util.Optional<String> fetchPending(String arn) {
                return java.util.Optional.of("q".repeat(40));
            }
        });
        assertThat(fromStore.tokens().nextAccessSecret()).hasValueSatisfying(
                key -> assertThat(new String(key)).isEqualTo("q".repeat(40)));
        assertThatThrownBy(() -> AppConfig.load(env(Map.of("ACCESS_TOKEN_SECRET", ACCESS,
                "REFRESH_TOKEN_SECRET", REFRESH, "NEXT_ACCESS_TOKEN_SECRET", "short"))::get))
                .hasMessageContaining("NEXT_ACCESS_TOKEN_SECRET is shorter than 32 bytes");
    }

    @Test
    void shouldTakeTheRegionFromTheSecretArn() {
        assertThat(SecretsManagerFetcher.regionOf("arn:aws:secretsmanager:eu-west-1:123456789012:secret:key-AbCdEf"))
                .isEqualTo("eu-west-1");
        assertThatThrownBy(() -> SecretsManagerFetcher.regionOf("not-an-arn"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTakeTheMetricsNamespaceAndRefuseOneCloudWatchWouldNot() {
        var secrets = Map.of("ACCESS_TOKEN_SECRET", ACCESS, "REFRESH_TOKEN_SECRET", REFRESH);
        assertThat(AppConfig.load(env(secrets)::get).metricsNamespace()).isEqualTo(AppConfig.DEFAULT_METRICS_NAMESPACE);
        var custom = env(secrets);
        custom.put(AppConfig.METRICS_NAMESPACE, "Acme/Auth-prod");
        assertThat(AppConfig.load(custom::get).metricsNamespace()).isEqualTo("Acme/Auth-prod");
        for (String bad : new String[] {"AWS/Lambda", "has space", "x".repeat(256)}) {
            var invalid = env(secrets);
            invalid.put(AppConfig.METRICS_NAMESPACE, bad);
            assertThatThrownBy(() -> AppConfig.load(invalid::get)).hasMessageContaining(AppConfig.METRICS_NAMESPACE);
        }
    }

    private static Map<String, String> env(Map<String, String> values) {
        return new HashMap<>(values);
    }
}
