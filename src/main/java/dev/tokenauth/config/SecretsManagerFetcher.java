package dev.tokenauth.config;

import java.util.Optional;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads secrets from AWS Secrets Manager, in the region the ARN names: the current version and,
 * for key rotation, the previous one. A client is built only when an ARN is actually configured,
 * and closed once the secrets are read.
 */
public final class SecretsManagerFetcher implements SecretFetcher {

    /** The stage Secrets Manager gives the version that a rotation replaced. */
    static final String PREVIOUS_STAGE = "AWSPREVIOUS";

    @Override
    public String fetch(String arn) {
        return read(arn, null).orElseThrow(() -> new IllegalStateException("the secret has no text value"));
    }

    @Override
    public Optional<String> fetchPrevious(String arn) {
        try {
            return read(arn, PREVIOUS_STAGE);
        } catch (ResourceNotFoundException noPreviousVersion) {
            return Optional.empty();
        }
    }

    private static Optional<String> read(String arn, String stage) {
        try (var client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(regionOf(arn)))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build()) {
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
