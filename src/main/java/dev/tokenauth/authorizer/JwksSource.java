package dev.tokenauth.authorizer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import dev.tokenauth.token.JwksVerifier;

/**
 * The JWKS, fetched once per environment and again when a token names a key it does not hold (a
 * key announced since), at most once a minute so unknown key ids cannot make it fetch on every
 * request. Fetched on first use, not at start-up: the service may not answer yet while the stack
 * deploys.
 */
final class JwksSource {

    static final Duration MIN_REFETCH = Duration.ofMinutes(1);

    private final Supplier<String> fetch;
    private final String issuer;
    private final String audience;
    private final Clock clock;
    private JwksVerifier verifier;
    private Instant fetchedAt = Instant.MIN;

    JwksSource(Supplier<String> fetch, String issuer, String audience, Clock clock) {
        this.fetch = fetch;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** A verifier that knows the token's key if the JWKS has it. */
    synchronized JwksVerifier verifierFor(String kid) {
        boolean stale = verifier == null || (kid != null && !verifier.knows(kid)
                && !clock.instant().isBefore(fetchedAt.plus(MIN_REFETCH)));
        if (stale) {
            fetchedAt = clock.instant();
            verifier = new JwksVerifier(fetch.get(), issuer, audience, clock);
        }
        return verifier;
    }

    /** GET the JWKS with the JDK's HTTP client: no SDK, no credentials, a short timeout. */
    static Supplier<String> http(URI url) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return () -> {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(3)).header("Accept", "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("JWKS answered " + response.statusCode());
                }
                return response.body();
            } catch (IOException e) {
                throw new IllegalStateException("JWKS unreachable", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the JWKS", e);
            }
        };
    }
}
