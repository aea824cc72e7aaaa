package dev.tokenauth.memory;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import dev.tokenauth.user.UsernameTakenException;

/** Users in a map, with the DynamoDB adapter's conditions: create if absent, change and delete by revision. */
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
    public synchronized boolean update(User updated) {
        User stored = users.get(updated.username());
        if (stored == null || !stored.userId().equals(updated.userId()) || stored.revision() != updated.revision()) {
            return false;
        }
        users.put(updated.username(), new User(updated.userId(), updated.username(), updated.passwordHash(),
                updated.tokenCount(), updated.sessions(), updated.createdAt(), updated.revision() + 1,
                updated.roles(), updated.devices()));
        return true;
    }

    @Override
    public synchronized boolean delete(User expected) {
        User stored = users.get(expected.username());
        if (stored == null || !stored.userId().equals(expected.userId()) || stored.revision() != expected.revision()) {
            return false;
        }
        users.remove(expected.username());
        return true;
    }
}
