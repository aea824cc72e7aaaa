package dev.tokenauth.memory;

import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.tokenauth.user.PasskeyChallenges;

/** Challenges in a map, consumed as the DynamoDB adapter's conditional delete consumes them. */
public final class InMemoryPasskeyChallenges implements PasskeyChallenges {

    private record Stored(Purpose purpose, String userId, Instant expiresAt) {
    }

    private final ConcurrentMap<String, Stored> stored = new ConcurrentHashMap<>();

    @Override
    public void store(byte[] challenge, Purpose purpose, String userId, Instant expiresAt) {
        stored.put(key(challenge), new Stored(purpose, userId, expiresAt));
    }

    @Override
    public synchronized boolean consume(byte[] challenge, Purpose purpose, String userId, Instant now) {
        Stored found = stored.get(key(challenge));
        if (found == null || found.purpose() != purpose || !Objects.equals(found.userId(), userId)
                || !found.expiresAt().isAfter(now)) {
            return false;
        }
        stored.remove(key(challenge));
        return true;
    }

    public int size() {
        return stored.size();
    }

    private static String key(byte[] challenge) {
        return Base64.getUrlEncoder().encodeToString(challenge);
    }
}
