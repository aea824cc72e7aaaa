package dev.tokenauth.config;

/** Reads the text of a secret by its ARN; used at start-up only. */
@FunctionalInterface
public interface SecretFetcher {

    String fetch(String arn);

    /** The version a rotation replaced, if the store keeps one. */
    default java.util.Optional<String> fetchPrevious(String arn) {
        return java.util.Optional.empty();
    }

    /** The version a rotation will make current (staged, not yet signing), if the store keeps one. */
    default java.util.Optional<String> fetchPending(String arn) {
        return java.util.Optional.empty();
    }

    /** For processes that must be given their secrets directly (local runs, tests). */
    SecretFetcher NONE = arn -> {
        throw new IllegalStateException("no secret store is configured");
    };
}
