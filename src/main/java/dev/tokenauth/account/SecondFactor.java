package dev.tokenauth.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.Totp;
import dev.tokenauth.user.TotpStore;
import dev.tokenauth.user.User;

/**
 * The check of a second-factor code: a TOTP code of a time step within one of now and after the
 * last accepted one, or an unused recovery code. Each try is counted against a failure budget
 * before the check, like a password; a code is spent by a write whose condition is that it was
 * not spent yet (the last accepted step before the code's, the recovery code still stored), so
 * concurrent requests with one code cannot both pass. Also the step-up of the operations that
 * matter: with the factor on, they ask for a current code.
 */
public final class SecondFactor {

    static final String REQUIRED = "A current code of your authenticator app is required";
    static final String INVALID = "The code is wrong or was used already";
    static final String WRONG_CODE_REASON = "invalid_code";

    private final TotpStore store;
    private final TotpKeys keys;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final SecurityEvents events;

    public SecondFactor(TotpStore store, TotpKeys keys, LoginThrottle throttle, Clock clock, SecurityEvents events) {
        this.store = store;
        this.keys = keys;
        this.throttle = throttle;
        this.clock = clock;
        this.events = events;
    }

    /** What a code proved, before it is spent: a time step, or a recovery code by its hash. */
    record Proof(long step, String recoveryHash) {
        boolean isRecoveryCode() {
            return recoveryHash != null;
        }
    }

    /**
     * The step-up of an operation that matters: nothing to do when {@code live} has the factor
     * off; otherwise {@code code} is checked on the session's own budget and spent, or the
     * operation fails with {@code MFA_REQUIRED} (no code) or {@code INVALID_MFA_CODE}.
     */
    public void requireFor(User live, Principal principal, String code, Caller caller) {
        if (!live.mfaEnabled()) {
            return;
        }
        if (code == null || code.isBlank()) {
            throw ApiError.of(TotpError.MFA_REQUIRED, REQUIRED);
        }
        check(live, code, LoginThrottle.Budget.ofSession(principal.sessionId()), principal.sessionId(), caller);
    }

    /** Counts, checks and spends {@code code} of {@code user}'s enabled factor; throws when it fails. */
    void check(User user, String code, LoginThrottle.Budget budget, String sessionId, Caller caller) {
        count(user, budget, sessionId, caller);
        Proof proof = match(user, code).orElseThrow(() -> failed(user, sessionId, caller));
        spend(user, proof, sessionId, caller);
        throttle.reset(budget);
    }

    /** Counts one try against {@code budget}; throws {@code LOGIN_THROTTLED} when it is locked. */
    void count(User user, LoginThrottle.Budget budget, String sessionId, Caller caller) {
        try {
            throttle.count(budget, clock.instant().truncatedTo(ChronoUnit.SECONDS));
        } catch (ApiError e) {
            events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_THROTTLED, caller, user.userId(), sessionId,
                    user.username(), LoginService.THROTTLED_REASON));
            throw e;
        }
    }

    /** What {@code code} proves against {@code user}'s stored factor, without spending it. */
    Optional<Proof> match(User user, String code) {
        if (code == null || !user.mfaEnabled()) {
            return Optional.empty();
        }
        String typed = code.strip();
        if (typed.length() == Totp.DIGITS && typed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return matchingStep(keys.decrypt(user.userId(), user.totp().secret()), user.totp().lastStep(), typed)
                    .map(step -> new Proof(step, null));
        }
        return keys.recoveryHashes(user.userId(), typed).stream()
                .filter(user.totp().recoveryHashes()::contains)
                .findFirst()
                .map(hash -> new Proof(0, hash));
    }

    /** The step within one of now, after {@code lastStep}, whose code is {@code typed}. */
    Optional<Long> matchingStep(byte[] secret, long lastStep, String typed) {
        long now = Totp.step(clock.instant());
        Optional<Long> matched = Optional.empty();
        for (long step = now - 1; step <= now + 1; step++) {
            // Every step is computed and compared in constant time: the answer's timing says nothing.
            boolean same = MessageDigest.isEqual(Totp.code(secret, step).getBytes(StandardCharsets.US_ASCII),
                    typed.getBytes(StandardCharsets.US_ASCII));
            if (same && step > lastStep && matched.isEmpty()) {
                matched = Optional.of(step);
            }
        }
        return matched;
    }

    /** Spends a proof by its conditional write; a proof another request spent first is a failure. */
    void spend(User user, Proof proof, String sessionId, Caller caller) {
        String secret = user.totp().secret();
        boolean spent = proof.isRecoveryCode() ? store.useRecoveryCode(user, secret, proof.recoveryHash())
                : store.acceptStep(user, secret, proof.step());
        if (!spent) {
            throw failed(user, sessionId, caller);
        }
        if (proof.isRecoveryCode()) {
            events.record(SecurityEvent.of(SecurityEvent.Type.RECOVERY_CODE_USED, caller, user.userId(), sessionId));
        }
        events.record(SecurityEvent.of(SecurityEvent.Type.MFA_CHALLENGE_PASSED, caller, user.userId(), sessionId));
    }

    void reset(LoginThrottle.Budget budget) {
        throttle.reset(budget);
    }

    /** The refusal of an invalid, expired or spent mfa token: the same as a wrong code. */
    static ApiError invalid() {
        return ApiError.of(TotpError.INVALID_MFA_CODE, INVALID);
    }

    ApiError failed(User user, String sessionId, Caller caller) {
        events.record(new SecurityEvent(SecurityEvent.Type.MFA_CHALLENGE_FAILED, caller, user.userId(), sessionId,
                null, WRONG_CODE_REASON));
        return ApiError.of(TotpError.INVALID_MFA_CODE, INVALID);
    }
}
