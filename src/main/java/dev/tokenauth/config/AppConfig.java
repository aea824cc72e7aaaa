package dev.tokenauth.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.tokenauth.account.LoginBackoff;
import dev.tokenauth.graphql.GraphqlLimits;
import dev.tokenauth.module.Settings;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.TokenSettings;

/**
 * Every setting the application reads, parsed and validated once at start-up. This is the only
 * place that knows the names of environment variables; an invalid value stops the process with a
 * message that names the variable, never its value. Modules read their own settings through
 * {@link #settings()}, the same reader.
 */
public record AppConfig(
        String usersTable,
        Optional<URI> dynamoDbEndpoint,
        Optional<String> awsRegion,
        TokenSettings tokens,
        int bcryptCost,
        Accounts accounts,
        GraphqlLimits graphql,
        List<String> corsAllowedOrigins,
        int maxBodyBytes,
        String metricsNamespace,
        Settings settings,
        MailSettings mail,
        MfaKeys mfaKeys) {

    /**
     * The key material of the second factor, and the one it replaced during a rotation: from
     * {@code MFA_SECRET} (or {@code MFA_SECRET_ARN}, as the template sets it), else, for local runs
     * and tests, from the refresh-token secret.
     */
    public record MfaKeys(byte[] secret, Optional<byte[]> previous) {
    }

    public static final String USERS_TABLE = "USERS_TABLE";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String ACCESS_TOKEN_SECRET = "ACCESS_TOKEN_SECRET";
    public static final String REFRESH_TOKEN_SECRET = "REFRESH_TOKEN_SECRET";
    public static final String MFA_SECRET = "MFA_SECRET";
    /** Prefix of the variables holding the key a rotation replaced, still accepted for verification. */
    public static final String PREVIOUS_PREFIX = "PREVIOUS_";
    /** Prefix of the variable holding the access key announced in the JWKS before it signs. */
    public static final String NEXT_PREFIX = "NEXT_";
    /** Suffix of the variables that name a Secrets Manager secret instead of holding the value. */
    public static final String ARN_SUFFIX = "_ARN";
    public static final String TOKEN_ISSUER = "TOKEN_ISSUER";
    public static final String ACCESS_TOKEN_AUDIENCE = "ACCESS_TOKEN_AUDIENCE";
    public static final String ACCESS_TOKEN_TTL_SECONDS = "ACCESS_TOKEN_TTL_SECONDS";
    public static final String REFRESH_TOKEN_TTL_SECONDS = "REFRESH_TOKEN_TTL_SECONDS";
    public static final String REFRESH_GRACE_SECONDS = "REFRESH_GRACE_SECONDS";
    public static final String SESSION_MAX_SECONDS = "SESSION_MAX_SECONDS";
    public static final String DEVICE_TOKEN_TTL_SECONDS = "DEVICE_TOKEN_TTL_SECONDS";
    public static final String REGISTRATIONS_PER_IP_PER_HOUR = "REGISTRATIONS_PER_IP_PER_HOUR";
    public static final String MAX_SESSIONS = "MAX_SESSIONS";
    public static final String BCRYPT_COST = "BCRYPT_COST";
    public static final String LOGIN_FREE_ATTEMPTS = "LOGIN_FREE_ATTEMPTS";
    public static final String LOGIN_MAX_LOCK_SECONDS = "LOGIN_MAX_LOCK_SECONDS";
    public static final String REGISTRATION_ENABLED = "REGISTRATION_ENABLED";
    public static final String CORS_ALLOWED_ORIGINS = "CORS_ALLOWED_ORIGINS";
    public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";
    public static final String GRAPHQL_MAX_DEPTH = "GRAPHQL_MAX_DEPTH";
    public static final String GRAPHQL_MAX_COMPLEXITY = "GRAPHQL_MAX_COMPLEXITY";
    public static final String GRAPHQL_MAX_TOKENS = "GRAPHQL_MAX_TOKENS";
    public static final String GRAPHQL_MAX_CHARACTERS = "GRAPHQL_MAX_CHARACTERS";
    public static final String INTROSPECTION_ENABLED = "INTROSPECTION_ENABLED";
    public static final String METRICS_NAMESPACE = "METRICS_NAMESPACE";
    /** Where the access-token authorizer of other routes reads the JWKS. */
    public static final String JWKS_URL = "JWKS_URL";

    /** The process's settings: a JVM system property wins over the environment variable of its name. */
    public static final UnaryOperator<String> PROCESS = name -> {
        String property = System.getProperty(name);
        return property != null ? property : System.getenv(name);
    };

    /** What the authorizer of other routes needs: the JWKS and the claims to require; no secret. */
    public record Authorizer(URI jwksUrl, String issuer, String audience) {
    }

    /** The authorizer's settings, validated like the function's. */
    public static Authorizer authorizer(UnaryOperator<String> source) {
        var reader = new Reader(source, SecretFetcher.NONE);
        URI jwks = reader.optional(JWKS_URL).map(value -> reader.uri(JWKS_URL, value)).orElse(null);
        if (jwks == null && reader.problems.isEmpty()) {
            reader.problems.add(JWKS_URL + " is not set (the URL of the service's /.well-known/jwks.json)");
        }
        var authorizer = new Authorizer(jwks, reader.string(TOKEN_ISSUER, "token-auth-graphql"),
                reader.string(ACCESS_TOKEN_AUDIENCE, TokenSettings.DEFAULT_AUDIENCE));
        if (!reader.problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", reader.problems));
        }
        return authorizer;
    }
    public static final String DEFAULT_METRICS_NAMESPACE = "TokenAuthGraphql";
    public static final String MAIL_SENDER = "MAIL_SENDER";
    public static final String MAIL_FROM = "MAIL_FROM";
    public static final String EMAIL_CODE_TTL_SECONDS = "EMAIL_CODE_TTL_SECONDS";
    public static final String MAIL_PER_ADDRESS_PER_HOUR = "MAIL_PER_ADDRESS_PER_HOUR";
    public static final String MAIL_PER_IP_PER_HOUR = "MAIL_PER_IP_PER_HOUR";
    public static final String PASSWORD_RESET_RESPONSE_MILLIS = "PASSWORD_RESET_RESPONSE_MILLIS";

    /** How long a replaced refresh token still yields its successor: see docs/security.md. */
    public static final int DEFAULT_REFRESH_GRACE_SECONDS = 5;

    /** The rules for accounts and sessions a deployment chooses. */
    public record Accounts(boolean registrationEnabled, int registrationsPerIpPerHour, SessionService.Policy sessions,
                           LoginBackoff backoff) {
    }

    /** Where mail goes: Amazon SES, or one JSON line per mail on standard output (local runs and tests). */
    public enum MailSender { SES, CONSOLE }

    /**
     * Mail and codes: the sender and its From address, how long a code works, mails per recipient
     * and per source address an hour, and the time before which a password-reset answer never leaves.
     */
    public record MailSettings(MailSender sender, String from, Duration codeTtl, int perAddressPerHour,
                               int perIpPerHour, Duration resetResponseFloor) {
    }

    /** HS256 keys shorter than the hash output weaken the MAC (RFC 7518, section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    /** OWASP's floor for BCrypt; above 16 a login takes seconds. */
    public static final int MIN_BCRYPT_COST = 10;
    public static final int MAX_BCRYPT_COST = 16;

    /** Reads and validates every setting, for a process given its secrets directly. */
    public static AppConfig load(UnaryOperator<String> source) {
        return load(source, SecretFetcher.NONE);
    }

    /**
     * Reads and validates every setting; collects all problems so one start-up reports them all.
     * A token secret is taken from its variable when set (local runs, tests, {@code sam local}),
     * otherwise from the Secrets Manager secret that {@code <NAME>_ARN} names (Lambda).
     */
    public static AppConfig load(UnaryOperator<String> source, SecretFetcher secrets) {
        var reader = new Reader(source, secrets);
        byte[] accessSecret = reader.secret(ACCESS_TOKEN_SECRET);
        byte[] refreshSecret = reader.secret(REFRESH_TOKEN_SECRET);
        if (accessSecret.length > 0 && Arrays.equals(accessSecret, refreshSecret)) {
            reader.problems.add(ACCESS_TOKEN_SECRET + " and " + REFRESH_TOKEN_SECRET
                    + " must differ, so that one kind of token can never pass as the other");
        }
        var tokens = new TokenSettings(
                reader.string(TOKEN_ISSUER, "token-auth-graphql"),
                reader.string(ACCESS_TOKEN_AUDIENCE, TokenSettings.DEFAULT_AUDIENCE),
                accessSecret, reader.previousSecret(ACCESS_TOKEN_SECRET), reader.nextSecret(ACCESS_TOKEN_SECRET),
                refreshSecret, reader.previousSecret(REFRESH_TOKEN_SECRET),
                Duration.ofSeconds(reader.integer(ACCESS_TOKEN_TTL_SECONDS, 15 * 60, 10, 24 * 3600)),
                Duration.ofSeconds(reader.integer(REFRESH_TOKEN_TTL_SECONDS, 7 * 24 * 3600, 60, 90 * 24 * 3600)),
                Duration.ofSeconds(reader.integer(DEVICE_TOKEN_TTL_SECONDS,
                        (int) TokenSettings.DEFAULT_DEVICE_TTL.toSeconds(), 3600, 5 * 365 * 24 * 3600)));
        var sessions = new SessionService.Policy(
                reader.integer(MAX_SESSIONS, 10, 1, 100),
                Duration.ofSeconds(reader.integer(REFRESH_GRACE_SECONDS, DEFAULT_REFRESH_GRACE_SECONDS, 0, 300)),
                Duration.ofSeconds(reader.integer(SESSION_MAX_SECONDS, 30 * 24 * 3600, 300, 365 * 24 * 3600)));
        var accounts = new Accounts(
                reader.bool(REGISTRATION_ENABLED, true),
                reader.integer(REGISTRATIONS_PER_IP_PER_HOUR, 20, 1, 1_000_000),
                sessions,
                new LoginBackoff(reader.integer(LOGIN_FREE_ATTEMPTS, LoginBackoff.DEFAULT.freeAttempts(), 1, 100),
                        Duration.ofSeconds(reader.integer(LOGIN_MAX_LOCK_SECONDS,
                                (int) LoginBackoff.DEFAULT.maxLock().toSeconds(), 1, 24 * 3600))));
        var defaults = GraphqlLimits.DEFAULTS;
        var graphql = new GraphqlLimits(
                reader.integer(GRAPHQL_MAX_DEPTH, defaults.maxDepth(), 2, 100),
                reader.integer(GRAPHQL_MAX_COMPLEXITY, defaults.maxComplexity(), GraphqlLimits.PASSWORD_FIELD_COST + 2,
                        100_000),
                reader.integer(GRAPHQL_MAX_TOKENS, defaults.maxTokens(), 10, 100_000),
                reader.integer(GRAPHQL_MAX_CHARACTERS, defaults.maxCharacters(), 100, 1_000_000),
                reader.bool(INTROSPECTION_ENABLED, defaults.introspectionEnabled()));
        var config = new AppConfig(
                reader.string(USERS_TABLE, "users"),
                reader.optional(DYNAMODB_ENDPOINT).map(value -> reader.uri(DYNAMODB_ENDPOINT, value)),
                reader.optional(AWS_REGION),
                tokens,
                reader.integer(BCRYPT_COST, MIN_BCRYPT_COST, MIN_BCRYPT_COST, MAX_BCRYPT_COST),
                accounts,
                graphql,
                reader.list(CORS_ALLOWED_ORIGINS, "*"),
                reader.integer(MAX_BODY_BYTES, 64 * 1024, 1024, 6 * 1024 * 1024),
                reader.metricsNamespace(METRICS_NAMESPACE, DEFAULT_METRICS_NAMESPACE),
                reader::optional,
                mail(reader),
                reader.optionalSecret(MFA_SECRET)
                        .map(secret -> new MfaKeys(secret, reader.previousSecret(MFA_SECRET)))
                        .orElseGet(() -> new MfaKeys(refreshSecret, reader.previousSecret(REFRESH_TOKEN_SECRET))));
        if (!reader.problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", reader.problems));
        }
        return config;
    }

    private static MailSettings mail(Reader reader) {
        MailSender sender = switch (reader.string(MAIL_SENDER, "console").toLowerCase(java.util.Locale.ROOT)) {
            case "ses" -> MailSender.SES;
            case "console" -> MailSender.CONSOLE;
            default -> {
                reader.problems.add(MAIL_SENDER + " must be ses or console");
                yield MailSender.CONSOLE;
            }
        };
        var from = reader.optional(MAIL_FROM);
        if (from.isEmpty() && sender == MailSender.SES) {
            reader.problems.add(MAIL_FROM + " is required with " + MAIL_SENDER + "=ses");
        }
        if (from.isPresent() && dev.tokenauth.user.EmailRules.normalised(from.get()).isEmpty()) {
            reader.problems.add(MAIL_FROM + " must be an e-mail address such as no-reply@example.com");
        }
        return new MailSettings(sender, from.orElse("no-reply@localhost.localdomain"),
                Duration.ofSeconds(reader.integer(EMAIL_CODE_TTL_SECONDS, 15 * 60, 60, 24 * 3600)),
                reader.integer(MAIL_PER_ADDRESS_PER_HOUR, 5, 1, 1000),
                reader.integer(MAIL_PER_IP_PER_HOUR, 20, 1, 1_000_000),
                Duration.ofMillis(reader.integer(PASSWORD_RESET_RESPONSE_MILLIS, 1000, 0, 10_000)));
    }

    private static final class Reader {
        private final UnaryOperator<String> source;
        private final SecretFetcher secrets;
        private final List<String> problems = new ArrayList<>();

        Reader(UnaryOperator<String> source, SecretFetcher secrets) {
            this.source = source;
            this.secrets = secrets;
        }

        Optional<String> optional(String name) {
            return Optional.ofNullable(source.apply(name)).map(String::trim).filter(value -> !value.isEmpty());
        }

        String string(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        /** A secret that may be absent: its variable, or the secret its {@code _ARN} names. */
        Optional<byte[]> optionalSecret(String name) {
            return optional(name).or(() -> optional(name + ARN_SUFFIX)
                    .flatMap(arn -> fetch(name + ARN_SUFFIX, () -> Optional.of(secrets.fetch(arn)))))
                    .map(text -> key(name, text));
        }

        byte[] secret(String name) {
            var value = optional(name).or(() -> optional(name + ARN_SUFFIX)
                    .flatMap(arn -> fetch(name + ARN_SUFFIX, () -> Optional.of(secrets.fetch(arn)))));
            if (value.isEmpty()) {
                if (optional(name + ARN_SUFFIX).isEmpty()) {
                    problems.add(name + " is not set, nor " + name + ARN_SUFFIX + " (at least " + MIN_SECRET_BYTES
                            + " bytes of random text)");
                }
                return new byte[0];
            }
            return key(name, value.get());
        }

        /** The key a rotation replaced: {@code PREVIOUS_<NAME>}, or the previous version behind the ARN. */
        Optional<byte[]> previousSecret(String name) {
            Optional<String> value = optional(PREVIOUS_PREFIX + name);
            if (value.isEmpty() && optional(name).isEmpty()) {
                value = optional(name + ARN_SUFFIX).flatMap(arn ->
                        fetch(name + ARN_SUFFIX + " (previous version)", () -> secrets.fetchPrevious(arn)));
            }
            return value.map(text -> key(PREVIOUS_PREFIX + name, text));
        }

        /** The key announced before it signs: {@code NEXT_<NAME>}, or the pending version behind the ARN. */
        Optional<byte[]> nextSecret(String name) {
            Optional<String> value = optional(NEXT_PREFIX + name);
            if (value.isEmpty() && optional(name).isEmpty()) {
                value = optional(name + ARN_SUFFIX).flatMap(arn ->
                        fetch(name + ARN_SUFFIX + " (pending version)", () -> secrets.fetchPending(arn)));
            }
            return value.map(text -> key(NEXT_PREFIX + name, text));
        }

        private byte[] key(String name, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_SECRET_BYTES) {
                problems.add(name + " is shorter than " + MIN_SECRET_BYTES + " bytes");
            }
            return bytes;
        }

        private Optional<String> fetch(String what, java.util.function.Supplier<Optional<String>> read) {
            try {
                return read.get();
            } catch (RuntimeException e) {
                // The message names the ARN and the cause, never a secret value.
                problems.add(what + " could not be read: " + e.getMessage());
                return Optional.empty();
            }
        }

        int integer(String name, int fallback, int min, int max) {
            var value = optional(name);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.get());
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + " must be a whole number from " + min + " to " + max);
            return fallback;
        }

        boolean bool(String name, boolean fallback) {
            var value = optional(name);
            if (value.isEmpty()) {
                return fallback;
            }
            return switch (value.get().toLowerCase()) {
                case "true" -> true;
                case "false" -> false;
                default -> {
                    problems.add(name + " must be true or false");
                    yield fallback;
                }
            };
        }

        List<String> list(String name, String fallback) {
            return Arrays.stream(string(name, fallback).split(","))
                    .map(String::trim)
                    .filter(item -> !item.isEmpty())
                    .toList();
        }

        /** CloudWatch's rule for a namespace: 1 to 255 of [0-9A-Za-z.-_/#:], not under AWS/. */
        String metricsNamespace(String name, String fallback) {
            String value = string(name, fallback);
            if (value.length() <= 255 && value.matches("[0-9A-Za-z.\\-_/#:]+") && !value.startsWith("AWS/")) {
                return value;
            }
            problems.add(name + " must be 1 to 255 letters, digits or . - _ / # : and not start with AWS/");
            return fallback;
        }

        URI uri(String name, String value) {
            try {
                URI uri = URI.create(value);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            problems.add(name + " must be an absolute URL such as http://localhost:4567");
            return null;
        }
    }
}
