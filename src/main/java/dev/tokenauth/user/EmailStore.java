package dev.tokenauth.user;

import java.time.Instant;
import java.util.Optional;

/**
 * Addresses and the codes mailed to them. An address belongs to the account its claim names: a
 * claim is taken by a write that succeeds only if nobody holds the address, before the user's
 * item is given the address, and released after the item lets it go; an address is the user's
 * while both the claim and the item say so. Codes are stored only as keyed hashes, one per purpose
 * per user, and each decision on a code is the condition of the write that acts on it.
 */
public interface EmailStore {

    /** Who claimed an address, and when. */
    record Claim(String address, String ownerId, String owner, Instant claimedAt) {
    }

    /** What a code is for; a user has at most one live code of each. */
    enum Purpose { VERIFY, RESET }

    /** A stored code: its keyed hash, the address it was mailed to, until when it works, the tries counted so far. */
    record StoredCode(String hash, String address, Instant expiresAt, int tries) {
        @Override
        public String toString() {
            return "StoredCode[expiresAt=" + expiresAt + ", tries=" + tries + "]";
        }
    }

    Optional<Claim> findClaim(String address);

    /**
     * Claims {@code wanted.address()} for {@code wanted.ownerId()} if nobody holds it, or, with
     * {@code replacing}, if that very claim (owner and time) is still the stored one. False when
     * the condition failed.
     */
    boolean claim(Claim wanted, Optional<Claim> replacing);

    /** Releases the claim on {@code address} if {@code ownerId} still holds it. */
    void release(String address, String ownerId);

    /**
     * Gives the user {@code address}, unverified, with no verification code, if the stored item is
     * still the user {@code user.userId()} with the address {@code previous} (null: none).
     */
    boolean setAddress(User user, String previous, String address);

    /**
     * Stores {@code code} as the user's code for {@code purpose}, replacing any earlier one, if the
     * stored item is the user {@code user.userId()} with the address {@code code.address()}
     * (verified, for a reset).
     */
    boolean storeCode(User user, Purpose purpose, StoredCode code);

    /** Removes the user's code for {@code purpose} if it is still the one with {@code hash}. */
    void voidCode(User user, Purpose purpose, String hash);

    /**
     * Counts one try of the user's code for {@code purpose}, if it went to {@code address} (still
     * the user's, and verified for a reset), works at {@code now} and has had fewer than
     * {@code maxTries}. The code with the try counted; empty when there is no such code.
     */
    Optional<StoredCode> countTry(User user, Purpose purpose, String address, Instant now, int maxTries);

    /**
     * Marks {@code code.address()} verified and removes the code, if the stored code still has
     * {@code code.hash()}, works at {@code now}, has had at most {@code maxTries} tries, and the
     * address is still the user's.
     */
    boolean markVerified(User user, StoredCode code, Instant now, int maxTries);

    /**
     * The password reset in one write, under the same condition as {@link #markVerified} on the
     * reset code: {@code newHash} replaces the hash, no session or trusted device survives, the
     * token count and the revision move on, the code is removed. The stored user; empty when the
     * condition failed.
     */
    Optional<User> resetPassword(User user, StoredCode code, Instant now, int maxTries, String newHash);
}
