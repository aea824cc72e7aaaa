package dev.tokenauth.config;

import java.util.Optional;
import java.util.function.Function;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads secrets from AWS Secrets Manager, in the region the ARN names: the current version and,
 * for key rotation, the previous one and a pending one. A client is built only when an ARN is
 * actually configured, and closed once the secret is read.
 */
public final class SecretsManagerFetcher implements SecretFetcher {

    /** The stage Secrets Manager gives the version that a rotation replaced. */
    static final String PREVIOUS_STAGE = "AWSPREVIOUS";
    /** The stage of a version staged to become current: its key is announced before it signs. */
    static final String PENDING_STAGE = "AWSPENDING";

    private final Function<String, SecretsManagerClient> clientForRegion;

    public SecretsManagerFetcher() {
        this(region -> SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build());
    }

    /** With clients built elsewhere: the tests' local endpoint. */
    SecretsManagerFetcher(Function<String, SecretsManagerClient> clientForRegion) {
        this.clientForRegion = clientForRegion;
    }

    @Override
    public String fetch(String arn) {
        return read(arn, null).orElseThrow(() -> new IllegalStateException("the secret has no text value"));
    }

    @Override
    public Optional<String> fetchPrevious(String arn) {
        return readStage(arn, PREVIOUS_STAGE);
    }

    @Override
    public Optional<String> fetchPending(String arn) {
        return readStage(arn, PENDING_STAGE);
    }

    private Optional<String> readStage(String arn, String stage) {
        try {
            return read(arn, stage);
        } catch (ResourceNotFoundException noSuchVersion) {
            return Optional.empty();
        }
    }

    private Optional<String> read(String arn, String stage) {
        try (var client = clientForRegion.apply(regionOf(arn))) {
            return Optional.ofNullable(client.getSecretValue(request -> request.secretId(arn).versionStage(stage))
                    .secretString());
        }
    }

    /** arn:partition:secretsmanager:region:account:secret:name */
    static String regionOf(String arn) {
        String[] parts = arn.split(":", 7);
        if (parts.length < 7 || !parts[0].equals("arn") || !parts[2].equals("secretsmanager") || parts[3].isEmpty()) {
            throw new IllegalArgumentException("not a Secrets Manager secret ARN");
        }
        return parts[3];
    }
}
