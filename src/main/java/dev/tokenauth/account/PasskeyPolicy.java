package dev.tokenauth.account;

import java.time.Duration;
import java.util.List;

/**
 * The relying party of the passkey ceremonies: its id (a domain, e.g. {@code example.com}), the
 * origins whose pages may run them (e.g. {@code https://app.example.com}), checked on every
 * ceremony, and how long a challenge stays valid.
 */
public record PasskeyPolicy(String rpId, List<String> origins, Duration challengeTtl) {

    public PasskeyPolicy {
        origins = List.copyOf(origins);
    }
}
