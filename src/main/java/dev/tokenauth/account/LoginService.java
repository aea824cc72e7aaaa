package dev.tokenauth.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.DeviceClaims;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.ConflictRetry;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import dev.tokenauth.user.UsernameRules;

/**
 * Login: the attempt is counted before the password is checked, and the new session is written on
 * condition that the item is still the one whose hash was checked. A login that lost a race with
 * a password change checks its password again against the new hash, and fails.
 *
 * <p>A client that logged in successfully before presents its device token (OWASP's device
 * cookies): its attempts spend that device's own failure budget, so strangers guessing at the
 * name cannot lock the owner out.
 */
public final class LoginService {

    static final String BAD_CREDENTIALS = "Invalid username or password";
    /** The {@code reason} of a security event for a wrong password or an unknown name: one code for both. */
    static final String INVALID_CREDENTIALS_REASON = "invalid_credentials";
    /** The {@code reason} of a security event for an attempt refused because its budget is locked. */
    static final String THROTTLED_REASON = "too_many_failures";

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SessionService sessions;
    private final TokenService tokens;
    private final Clock clock;
    private final SecurityEvents events;
    private final TotpService totp;
    private final SecureRandom random = new SecureRandom();

    /** What a successful login hands to the client: the session's tokens and a device token. */
    public record LoginResult(TokenPair tokens, String deviceToken) {
        @Override
        public String toString() {
            return "LoginResult[redacted]";
        }
    }

    public LoginService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SessionService sessions,
                        TokenService tokens, Clock clock, SecurityEvents events) {
        this(users, hasher, throttle, sessions, tokens, clock, events, null);
    }

    /** With {@code totp} (null: no second factor), which answers the logins of users who turned it on. */
    public LoginService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SessionService sessions,
                        TokenService tokens, Clock clock, SecurityEvents events, TotpService totp) {
        this.totp = totp;
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.sessions = sessions;
        this.tokens = tokens;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Starts a new session. The same answer, with the same BCrypt work, for an unknown name and a
     * wrong password: a missing user still costs one BCrypt check, and attempts count against a
     * name whether or not an account has it (or can have it), before any BCrypt work.
     */
    public LoginResult login(String username, String password, String deviceToken, Caller caller) {
        Optional<String> name = UsernameRules.canonical(username);
        // The normalised name where there is one: its hash must group with the name's other attempts.
        String attempted = name.orElse(username);
        if (password == null || !PasswordHasher.hasAcceptableLength(password)) {
            throw failed(caller, attempted);
        }
        Optional<User> user = name.flatMap(users::findByUsername);
        Optional<DeviceClaims> trusted = trustedDevice(deviceToken, user);
        LoginThrottle.Budget budget = name.isEmpty()
                ? LoginThrottle.Budget.ofInvalidName(username)
                : trusted.map(device -> LoginThrottle.Budget.ofDevice(device.deviceId()))
                        .orElse(LoginThrottle.Budget.ofName(name.get()));
        try {
            throttle.count(budget, now());
        } catch (ApiError e) {
            events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_THROTTLED, caller, null, null, attempted,
                    THROTTLED_REASON));
            throw e;
        }
        PasswordHasher.Verdict verdict;
        if (user.isPresent()) {
            verdict = hasher.verify(password, user.get().passwordHash());
        } else {
            // No such account, or no account can have such a name: the same work as a wrong password.
            hasher.matchesDecoy(password);
            verdict = PasswordHasher.Verdict.MISMATCH;
        }
        if (!verdict.matched()) {
            throw failed(caller, attempted);
        }
        if (totp != null && user.get().mfaEnabled()) {
            // The budget is not reset: the codes tried next spend it, so the password alone buys no fresh guesses.
            throw totp.challenge(user.get(), trusted.map(DeviceClaims::deviceId).orElse(null));
        }
        throttle.reset(budget);
        Session session = sessions.open(caller);
        String deviceId = newDeviceId();
        User stored = storeSession(user.get(), password, verdict, session, deviceId)
                .orElseThrow(() -> failed(caller, name.get()));
        events.record(SecurityEvent.of(SecurityEvent.Type.LOGIN_SUCCEEDED, caller, stored.userId(), session.id()));
        return new LoginResult(sessions.issue(stored, session),
                tokens.issueDevice(stored.userId(), stored.username(), deviceId));
    }

    /**
     * Adds the session, on condition that the stored item is the one verified. When another
     * request wrote first, the password is checked again if the hash changed: empty when it no
     * longer matches (the password was changed) or the user is gone. A hash of a lower cost than
     * configured, or of the password's raw form, is replaced, but only the hash that was checked.
     * The new device is trusted in the same write.
     */
    private Optional<User> storeSession(User verified, String password, PasswordHasher.Verdict verifiedVerdict,
                                        Session session, String deviceId) {
        var upgraded = new String[1];
        var checked = new User[] {verified};
        var verdict = new PasswordHasher.Verdict[] {verifiedVerdict};
        return ConflictRetry.untilWritten(() -> {
            User current = checked[0];
            if (current == null) {
                Optional<User> reread = users.findByUsername(verified.username())
                        .filter(user -> user.userId().equals(verified.userId()));
                if (reread.isEmpty()) {
                    return ConflictRetry.Attempt.done(Optional.<User>empty());
                }
                current = reread.get();
                if (!current.passwordHash().equals(verified.passwordHash())) {
                    verdict[0] = hasher.verify(password, current.passwordHash());
                    if (!verdict[0].matched()) {
                        return ConflictRetry.Attempt.done(Optional.<User>empty());
                    }
                }
            }
            checked[0] = null;
            User next = sessions.adding(current, session).withDevice(deviceId);
            if (verdict[0] == PasswordHasher.Verdict.MATCH_REHASH) {
                if (upgraded[0] == null) {
                    upgraded[0] = hasher.hash(password);
                }
                next = next.withPasswordHash(upgraded[0]);
            }
            return ConflictRetry.Attempt.writtenOr(users.update(next), Optional.of(next));
        });
    }

    /**
     * The device a valid device token names, if it was issued to this very user (not an earlier
     * holder of the name) and is still among its trusted devices.
     */
    private Optional<DeviceClaims> trustedDevice(String deviceToken, Optional<User> user) {
        if (deviceToken == null || deviceToken.isBlank() || user.isEmpty()) {
            return Optional.empty();
        }
        return tokens.verifyDevice(deviceToken)
                .filter(device -> device.userId().equals(user.get().userId())
                        && device.username().equals(user.get().username())
                        && user.get().devices().contains(device.deviceId()));
    }

    private String newDeviceId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    /** A failed login's event names the attempted name only: a user id would tell which names exist. */
    private ApiError failed(Caller caller, String attempted) {
        events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_FAILED, caller, null, null, attempted,
                INVALID_CREDENTIALS_REASON));
        return ApiError.of(ErrorType.INVALID_CREDENTIALS, BAD_CREDENTIALS);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
