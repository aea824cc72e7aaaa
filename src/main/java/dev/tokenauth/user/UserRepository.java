package dev.tokenauth.user;

import java.util.Optional;

/**
 * Where users live. Every write is conditional, so concurrent requests never lose each other's
 * updates; an unreachable store is reported as {@link UserStoreUnavailableException}.
 */
public interface UserRepository {

    Optional<User> findByUsername(String username);

    /** Stores a new user; fails with {@link UsernameTakenException} if the name is already in use. */
    void create(User user);

    /**
     * Stores {@code updated} (password hash, token count, sessions) as the next revision, if the
     * stored item is still {@code updated.revision()} of the same user. False when someone wrote
     * first or the user is gone: re-read and decide again.
     */
    boolean update(User updated);

    /**
     * The password change in one write: {@code newHash} replaces the hash, {@code onlySession}
     * every session, the token count moves on, roles stay and device trust ends, if the stored
     * item is still the user {@code checked.userId()} with the hash {@code checked.passwordHash()}.
     * Other writes in between (sessions added or refreshed) do not stand in its way. The stored
     * user; empty when the hash changed or the user is gone.
     */
    Optional<User> replacePassword(User checked, String newHash, Session onlySession);

    /**
     * Removes the user, if the stored item is still the user {@code checked.userId()} with the
     * hash {@code checked.passwordHash()}, whatever else changed, and then releases the claim on
     * its address ({@link EmailStore}). False when the hash changed or the user is gone.
     */
    boolean delete(User checked);
}
