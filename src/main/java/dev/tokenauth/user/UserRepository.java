package dev.tokenauth.user;

import java.util.Optional;

/**
 * Where users live. Implementations make {@link #create} and {@link #incrementTokenCount} atomic,
 * and report an unreachable store as {@link UserStoreUnavailableException}.
 */
public interface UserRepository {

    Optional<User> findByUsername(String username);

    /** Stores a new user; fails with {@link UsernameTakenException} if the name is already in use. */
    void create(User user);

    /**
     * Adds one to the user's token count if the user still has this id; returns the new count, or
     * empty when no such user exists.
     */
    Optional<Long> incrementTokenCount(String username, String userId);
}
