package dev.tokenauth.config;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads secrets from AWS Secrets Manager, in the region the ARN names. A client is built only when
 * an ARN is actually configured, and closed once the secrets are read.
 */
public final class SecretsManagerFetcher implements SecretFetcher {

    @Override
    public String fetch(String arn) {
        try (var client = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(regionOf(arn)))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build()) {
            String value = client.getSecretValue(request -> request.secretId(arn)).secretString();
            if (value == null) {
                throw new IllegalStateException("the secret has no text value");
            }
            return value;
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
