package dev.tokenauth.user;

import java.util.Set;

/**
 * Writes of the second factor's state on the user's item ({@link User#totp()}). Each is one
 * conditional write whose condition is the decision it acts on: the secret the caller checked, the
 * last accepted time step, the recovery code being unused. False when the condition failed (or
 * the user is gone); an unreachable store is {@link UserStoreUnavailableException}.
 */
public interface TotpStore {

    /** Stores {@code pendingSecret} as the secret awaiting confirmation, if the factor is off. */
    boolean begin(User user, String pendingSecret);

    /**
     * Turns the factor on: {@code pendingSecret} becomes the secret, {@code step} the last accepted
     * step, {@code recoveryHashes} the recovery codes, if {@code pendingSecret} is still the pending
     * one and the factor is off.
     */
    boolean enable(User user, String pendingSecret, long step, Set<String> recoveryHashes);

    /** Records {@code step} as accepted, if the secret is still {@code secret} and no step at or after it was. */
    boolean acceptStep(User user, String secret, long step);

    /** Consumes one recovery code, if the secret is still {@code secret} and the code is unused. */
    boolean useRecoveryCode(User user, String secret, String hash);

    /** Turns the factor off and forgets its secret and codes, if the secret is still {@code secret}. */
    boolean disable(User user, String secret);
}
