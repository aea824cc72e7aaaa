package dev.tokenauth.token;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Access tokens this process has verified, by their exact string, until they expire: a client
 * sends one access token for its whole lifetime, and an ES256 verification costs far more than a
 * lookup. Only the very string that verified is found again, so the cache can answer for nothing
 * the signature did not; the least recently used entries go beyond the capacity.
 */
final class VerifiedTokens {

    private record Entry(TokenClaims claims, Instant expiresAt) {
    }

    private final Map<String, Entry> entries;

    VerifiedTokens(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The claims of a token verified before, if it has not expired at {@code now}. */
    synchronized Optional<TokenClaims> get(String token, Instant now) {
        Entry entry = entries.get(token);
        if (entry == null) {
            return Optional.empty();
        }
        if (!now.isBefore(entry.expiresAt())) {
            entries.remove(token);
            return Optional.empty();
        }
        return Optional.of(entry.claims());
    }

    synchronized void put(String token, TokenClaims claims, Instant expiresAt) {
        entries.put(token, new Entry(claims, expiresAt));
    }

    synchronized int size() {
        return entries.size();
    }
}
