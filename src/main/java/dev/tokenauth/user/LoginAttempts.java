package dev.tokenauth.user;

import java.time.Instant;

/**
 * Failed logins per username, existing or not, so that a locked name looks the same whether or
 * not an account has it. Entries expire on their own once no lock can follow from them.
 */
public interface LoginAttempts {

    /** The failures so far and when the last one happened. */
    record Failures(int count, Instant last) {
        public static final Failures NONE = new Failures(0, Instant.EPOCH);
    }

    Failures failures(String username);

    /** Counts one more failure, atomically. */
    void recordFailure(String username, Instant now);

    /** Forgets the failures after a successful login. */
    void reset(String username);
}
