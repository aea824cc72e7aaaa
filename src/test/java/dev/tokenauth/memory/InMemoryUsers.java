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
                    updated.roles(), updated.devices(), stored.email(), stored.totp()));
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
                    stored.roles(), List.of(), stored.email(), stored.totp());
            users.put(next.username(), next);
            return Optional.of(next);
        }
    }

    @Override
    public boolean delete(User checked) {
        beforeWrite();
        User deleted;
        synchronized (this) {
            if (!holdsCheckedHash(users.get(checked.username()), checked)) {
                return false;
            }
            deleted = users.remove(checked.username());
        }
        if (deleted.email() != null) {
            afterDelete.accept(deleted);
        }
        return true;
    }

    /** The adapters of other ports that share this store ({@link InMemoryEmails}): what goes with a deleted user. */
    private volatile java.util.function.Consumer<User> afterDelete = user -> { };

    void afterDelete(java.util.function.Consumer<User> release) {
        this.afterDelete = release;
    }

    /**
     * A conditional write of another port's adapter on this store: after {@link #beforeWrite}, under
     * the lock every write of this store takes.
     */
    <T> T write(java.util.function.Function<Map<String, User>, T> write) {
        beforeWrite();
        synchronized (this) {
            return write.apply(users);
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
