package dev.tokenauth.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenauth.user.AttemptCounters;

/**
 * Counters in a map, with the DynamoDB adapter's compare-and-set; expired entries stay until
 * removed by hand, as DynamoDB's time to live leaves them for days.
 */
public final class InMemoryAttemptCounters implements AttemptCounters {

    public final Map<String, Counter> stored = new ConcurrentHashMap<>();

    @Override
    public synchronized Optional<Counter> compareAndSet(String key, Counter expected, Counter next, Instant now) {
        Counter current = stored.get(key);
        Counter live = current == null || !current.isLive(now) ? Counter.NONE : current;
        boolean matches = expected.count() == 0 ? live.count() == 0
                : live.count() == expected.count() && live.expiresAt().equals(expected.expiresAt());
        if (!matches) {
            return Optional.of(live);
        }
        stored.put(key, next);
        return Optional.empty();
    }

    @Override
    public synchronized void delete(String key) {
        stored.remove(key);
    }
}
