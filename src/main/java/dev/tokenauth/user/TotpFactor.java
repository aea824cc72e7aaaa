package dev.tokenauth.user;

import java.util.Set;

/**
 * A user's time-based second factor as stored. {@code pendingSecret}: a secret handed out at
 * setup and not yet confirmed with a code (null: none); {@code secret}: the confirmed one (null:
 * the factor is off). Both are encrypted. {@code lastStep}: the latest time step whose code was
 * accepted, so no code works twice. {@code recoveryHashes}: keyed hashes of the unused recovery codes.
 */
public record TotpFactor(String pendingSecret, String secret, long lastStep, Set<String> recoveryHashes) {

    public TotpFactor {
        recoveryHashes = recoveryHashes == null ? Set.of() : Set.copyOf(recoveryHashes);
    }

    public boolean enabled() {
        return secret != null;
    }

    @Override
    public String toString() {
        return "TotpFactor[enabled=" + enabled() + ", lastStep=" + lastStep + ", recoveryCodes=" + recoveryHashes.size() + "]";
    }
}
