package dev.tokenauth.user;

import java.util.Map;
import java.util.Optional;

/**
 * Where passkeys live: one record per user, found by user id (the WebAuthn user handle), so a
 * username-less sign-in reaches it from the assertion alone. Every change is one conditional write,
 * whose condition is the decision; an unreachable store is {@link UserStoreUnavailableException}.
 */
public interface PasskeyRepository {

    /** A user's passkeys by credential id, and the name of the user they belong to. */
    record Keyring(String userId, String username, Map<String, Passkey> passkeys) {
        public Keyring {
            passkeys = Map.copyOf(passkeys);
        }

        public Optional<Passkey> passkey(String credentialId) {
            return Optional.ofNullable(passkeys.get(credentialId));
        }
    }

    /** The user's passkeys; empty when the user has none. */
    Optional<Keyring> find(String userId);

    /**
     * Adds {@code passkey} if the user has fewer than {@code max} passkeys and none with its id.
     * False otherwise.
     */
    boolean add(String userId, String username, Passkey passkey, int max);

    /**
     * Records a sign-in with a passkey: its counter moves from {@code checkedCount} to
     * {@code used.signCount()}, with the backup state and time of {@code used}, if the stored
     * counter is still {@code checkedCount}. False when another sign-in moved it first or the passkey
     * is gone.
     */
    boolean recordUse(String userId, Passkey used, long checkedCount);

    /** Removes one passkey; false when the user has none with that id. */
    boolean remove(String userId, String credentialId);

    /** Removes every passkey of the user (idempotent). */
    void deleteAll(String userId);

}
