package dev.tokenauth.memory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import dev.tokenauth.user.UsernameTakenException;

/**
 * Users in a map, with the DynamoDB adapter's conditions: create if absent, change by revision,
 * replace the password and delete by the checked hash. Subclasses put another request's timing
 * just before each conditional write ({@link #beforeWrite}).
 */
public class InMemoryUsers implements UserRepository {

    private final ConcurrentMap<String, User> users = new ConcurrentHashMap<>();

    @Override
    public Optional<User> findByUsername(String username) {
        return Optional.ofNullable(users.get(username));
    }

    @Override
    public void create(User user) {
        if (users.putIfAbsent(user.username(), user) != null) {
            throw new UsernameTakenException();
        }
    }

    @Override
    public boolean update(User updated) {
        beforeWrite();
        synchronized (this) {
            User stored = users.get(updated.username());
            if (stored == null || !stored.userId().equals(updated.userId()) || stored.revision() != updated.revision()) {
                return false;
            }
            users.put(updated.username(), new User(updated.userId(), updated.username(), updated.passwordHash(),
                    updated.tokenCount(), updated.sessions(), updated.createdAt(), updated.revision() + 1,
                    updated.roles(), updated.devices()));
            return true;
        }
    }

    @Override
    public Optional<User> replacePassword(User checked, String newHash, Session onlySession) {
        beforeWrite();
        synchronized (this) {
            User stored = users.get(checked.username());
            if (!holdsCheckedHash(stored, checked)) {
                return Optional.empty();
            }
            User next = new User(stored.userId(), stored.username(), newHash, stored.tokenCount() + 1,
                    Map.of(onlySession.id(), onlySession), stored.createdAt(), stored.revision() + 1,
                    stored.roles(), List.of());
            users.put(next.username(), next);
            return Optional.of(next);
        }
    }

    @Override
    public boolean delete(User checked) {
        beforeWrite();
        synchronized (this) {
            if (!holdsCheckedHash(users.get(checked.username()), checked)) {
                return false;
            }
            users.remove(checked.username());
            return true;
        }
    }

    /** Runs before each conditional write, outside the lock, on the writing thread. */
    protected void beforeWrite() {
    }

    private static boolean holdsCheckedHash(User stored, User checked) {
        return stored != null && stored.userId().equals(checked.userId())
                && stored.passwordHash().equals(checked.passwordHash());
    }
}
