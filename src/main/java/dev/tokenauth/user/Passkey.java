package dev.tokenauth.user;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A passkey (a discoverable WebAuthn credential) of a user. {@code id} is the credential id,
 * base64url; {@code credentialData} the authenticator's attested credential data (AAGUID,
 * credential id, COSE public key), base64url, as the registration delivered it: all an assertion is
 * verified against, with {@code signCount}, the signature counter last seen (0 for authenticators
 * that keep none). {@code backupEligible} and {@code backupState} are the authenticator's flags,
 * {@code userVerified} whether it verified the user at registration. {@code lastUsedAt} is empty
 * until the first sign-in with it.
 */
public record Passkey(String id, String label, Instant createdAt, Optional<Instant> lastUsedAt, long signCount,
                      boolean userVerified, boolean backupEligible, boolean backupState, String credentialData,
                      Set<String> transports) {

    /** Labels are shown back to the user, never parsed. */
    public static final int MAX_LABEL_LENGTH = 64;
    /** Credential ids of real authenticators are 16 to 64 bytes; the specification allows up to 1023. */
    public static final int MAX_ID_BYTES = 255;

    public Passkey {
        lastUsedAt = lastUsedAt == null ? Optional.empty() : lastUsedAt;
        transports = transports == null ? Set.of() : Set.copyOf(transports);
    }

    /** After a sign-in with it: the counter it presented, the backup state it reported. */
    public Passkey used(long presentedCount, boolean presentedBackupState, Instant at) {
        return new Passkey(id, label, createdAt, Optional.of(at), presentedCount, userVerified, backupEligible,
                presentedBackupState, credentialData, transports);
    }

    /** A label fit to store: printable, at most {@link #MAX_LABEL_LENGTH} characters; blank when none. */
    public static String label(String requested) {
        if (requested == null) {
            return "";
        }
        String printable = requested.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
        return printable.codePointCount(0, printable.length()) <= MAX_LABEL_LENGTH ? printable
                : printable.substring(0, printable.offsetByCodePoints(0, MAX_LABEL_LENGTH));
    }
}
