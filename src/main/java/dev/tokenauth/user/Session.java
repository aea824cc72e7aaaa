package dev.tokenauth.user;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One login of one user (one device): its refresh tokens form a chain of generations. Only the
 * newest generation may refresh; {@code rotatedAt} is when it was minted, which is also the issue
 * time of its tokens, so they can be minted again identically within the grace window.
 * {@code createdAt} (the login) bounds the session's whole life; {@code lastUsedAt} (the latest
 * rotation) decides which session goes first when a user has too many. {@code label} names the
 * device for the user's own list of sessions. {@code multiFactor}: the login proved more than one
 * factor (a passkey with user verification), for features that ask for a second factor.
 * {@code keyThumbprint}: the DPoP key the session is bound to (null when bearer), and
 * {@code spentProofs} the proofs its refreshes used that are still young enough to be accepted.
 */
public record Session(String id, long generation, Instant rotatedAt, Instant createdAt, Instant lastUsedAt,
                      String label, boolean multiFactor, String keyThumbprint, List<SpentProof> spentProofs) {

    /** Spent proofs a session keeps: far more refreshes than one client makes while a proof is young. */
    public static final int MAX_SPENT_PROOFS = 32;

    /** A DPoP proof a refresh used: its {@code jti} and {@code iat}. */
    public record SpentProof(String jti, Instant issuedAt) {
    }

    /**
     * Device labels are shown back to the user, never parsed: the user agent, cut where it is
     * longer than any browser's, so that the browser's name at its end stays in the label.
     */
    public static final int MAX_LABEL_LENGTH = 200;

    public Session {
        label = label == null ? "" : label;
        spentProofs = spentProofs == null ? List.of() : List.copyOf(spentProofs);
    }

    public Session(String id, long generation, Instant rotatedAt, Instant createdAt, Instant lastUsedAt,
                   String label, boolean multiFactor) {
        this(id, generation, rotatedAt, createdAt, lastUsedAt, label, multiFactor, null, List.of());
    }

    /** A session of a single-factor login. */
    public Session(String id, long generation, Instant rotatedAt, Instant createdAt, Instant lastUsedAt, String label) {
        this(id, generation, rotatedAt, createdAt, lastUsedAt, label, false);
    }

    /** This session, of a login that proved more than one factor. */
    public Session withMultiFactor() {
        return new Session(id, generation, rotatedAt, createdAt, lastUsedAt, label, true, keyThumbprint, spentProofs);
    }

    /** This session, bound to the DPoP key of that thumbprint (null: bearer). */
    public Session boundTo(String thumbprint) {
        return new Session(id, generation, rotatedAt, createdAt, lastUsedAt, label, multiFactor, thumbprint, spentProofs);
    }

    public boolean bound() {
        return keyThumbprint != null;
    }

    /** Whether a refresh of this session already used the proof of that {@code jti}. */
    public boolean spent(String jti) {
        return spentProofs.stream().anyMatch(proof -> proof.jti().equals(jti));
    }

    /** How many spent proofs were issued at or after {@code since}. */
    public long spentSince(Instant since) {
        return spentProofs.stream().filter(proof -> !proof.issuedAt().isBefore(since)).count();
    }

    /** This session, with one more proof spent, and those issued before {@code forgetBefore} (refused anyway) gone. */
    public Session spending(SpentProof proof, Instant forgetBefore) {
        var kept = new ArrayList<SpentProof>();
        for (SpentProof spent : spentProofs) {
            if (!spent.issuedAt().isBefore(forgetBefore)) {
                kept.add(spent);
            }
        }
        kept.add(proof);
        return new Session(id, generation, rotatedAt, createdAt, lastUsedAt, label, multiFactor, keyThumbprint, kept);
    }

    /** The next generation, minted at {@code now}; {@code usedAt} keeps milliseconds for ordering. */
    public Session next(Instant now, Instant usedAt) {
        return new Session(id, generation + 1, now, createdAt, usedAt, label, multiFactor, keyThumbprint, spentProofs);
    }

    /** When the session ends however often it is refreshed. */
    public Instant endsAt(Duration maxLifetime) {
        return createdAt.plus(maxLifetime);
    }

    /** A label fit to store: printable, at most {@link #MAX_LABEL_LENGTH} characters. */
    public static String label(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        String printable = userAgent.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
        return printable.length() <= MAX_LABEL_LENGTH ? printable
                : printable.substring(0, Character.isHighSurrogate(printable.charAt(MAX_LABEL_LENGTH - 1))
                        ? MAX_LABEL_LENGTH - 1 : MAX_LABEL_LENGTH);
    }
}
