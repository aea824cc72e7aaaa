package dev.tokenauth.memory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.tokenauth.user.Passkey;
import dev.tokenauth.user.PasskeyRepository;

/**
 * Passkeys in a map, with the DynamoDB adapter's conditions: add below the limit and only a new
 * id, move a counter only from the value checked, remove only what exists. One thread can be held
 * just before its next {@link #recordUse}, where another sign-in may commit.
 */
public final class InMemoryPasskeys implements PasskeyRepository {

    private final ConcurrentMap<String, Keyring> keyrings = new ConcurrentHashMap<>();
    private volatile Thread held;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Optional<Keyring> find(String userId) {
        return Optional.ofNullable(keyrings.get(userId));
    }

    @Override
    public synchronized boolean add(String userId, String username, Passkey passkey, int max) {
        Keyring stored = keyrings.get(userId);
        var passkeys = new LinkedHashMap<String, Passkey>(stored == null ? Map.of() : stored.passkeys());
        if (passkeys.size() >= max || passkeys.containsKey(passkey.id())) {
            return false;
        }
        passkeys.put(passkey.id(), passkey);
        keyrings.put(userId, new Keyring(userId, username, passkeys));
        return true;
    }

    @Override
    public boolean recordUse(String userId, Passkey used, long checkedCount) {
        if (Thread.currentThread() == held) {
            held = null;
            reached.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            Keyring stored = keyrings.get(userId);
            Passkey current = stored == null ? null : stored.passkeys().get(used.id());
            if (current == null || current.signCount() != checkedCount) {
                return false;
            }
            var passkeys = new LinkedHashMap<>(stored.passkeys());
            passkeys.put(used.id(), current.used(used.signCount(), used.backupState(), used.lastUsedAt().orElseThrow()));
            keyrings.put(userId, new Keyring(userId, stored.username(), passkeys));
            return true;
        }
    }

    @Override
    public synchronized boolean remove(String userId, String credentialId) {
        Keyring stored = keyrings.get(userId);
        if (stored == null || !stored.passkeys().containsKey(credentialId)) {
            return false;
        }
        var passkeys = new LinkedHashMap<>(stored.passkeys());
        passkeys.remove(credentialId);
        keyrings.put(userId, new Keyring(userId, stored.username(), passkeys));
        return true;
    }

    @Override
    public void deleteAll(String userId) {
        keyrings.remove(userId);
    }

    /** The next {@link #recordUse} of {@code thread} waits for {@link #release()}. */
    public void holdNextUseOf(Thread thread) {
        this.held = thread;
    }

    public void awaitHeld() throws InterruptedException {
        if (!reached.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the held sign-in never reached its write");
        }
    }

    public void release() {
        release.countDown();
    }
}
