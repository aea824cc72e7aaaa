package dev.tokenauth.account;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.MfaClaims;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.AttemptCounters;
import dev.tokenauth.user.ConflictRetry;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.Totp;
import dev.tokenauth.user.TotpStore;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;

/**
 * The time-based second factor (RFC 6238): setting it up with the password, turning it on with a
 * current code (which hands out the recovery codes once), turning it off, and the login's second
 * step. A login of a user with the factor on ends in {@code MFA_REQUIRED} with an mfa token
 * ({@link #challenge}); {@link #verifyMfa} exchanges it and a code for the session's tokens. An mfa
 * token's tries and its consumption are a counter of its own, changed only by compare-and-set.
 */
public final class TotpService {

    /** Recovery codes handed out when the factor is turned on. */
    public static final int RECOVERY_CODES = 10;
    /** Wrong codes after which an mfa token is dead. */
    public static final int MFA_TOKEN_TRIES = 5;
    static final String MFA_TOKEN_PREFIX = "mfa-token#";
    /** The count of a consumed mfa token: beyond any number of tries. */
    static final int CONSUMED = 1_000_000;
    static final String MFA_TOKEN_EXTENSION = "mfaToken";

    private final UserRepository users;
    private final TotpStore store;
    private final TotpKeys keys;
    private final SecondFactor factor;
    private final CurrentPassword currentPassword;
    private final AttemptCounters counters;
    private final SessionService sessions;
    private final TokenService tokens;
    private final Clock clock;
    private final SecurityEvents events;
    private final SecureRandom random = new SecureRandom();

    /** What enableTotp hands out, once: the secret in Base32 and as an otpauth URI. */
    public record TotpSetup(String secret, String otpauthUri) {
        @Override
        public String toString() {
            return "TotpSetup[redacted]";
        }
    }

    public TotpService(UserRepository users, TotpStore store, TotpKeys keys, SecondFactor factor,
                       dev.tokenauth.user.PasswordHasher hasher, LoginThrottle throttle, AttemptCounters counters,
                       SessionService sessions, TokenService tokens, Clock clock, SecurityEvents events) {
        this.users = users;
        this.store = store;
        this.keys = keys;
        this.factor = factor;
        this.currentPassword = new CurrentPassword(users, hasher, throttle, sessions, clock, events);
        this.counters = counters;
        this.sessions = sessions;
        this.tokens = tokens;
        this.clock = clock;
        this.events = events;
    }

    /**
     * A new secret, pending until {@link #confirm}: the password is checked first (on the session's
     * budget). A pending secret from an earlier call is replaced. BAD_USER_INPUT when the factor is on.
     */
    public TotpSetup enable(User live, Principal principal, String password, Caller caller) {
        if (live.mfaEnabled()) {
            throw ApiError.badUserInput("The second factor is on already");
        }
        User checked = currentPassword.check(live, principal, password, caller);
        byte[] secret = keys.newSecret();
        if (!store.begin(checked, keys.encrypt(checked.userId(), secret))) {
            throw ApiError.badUserInput("The second factor is on already");
        }
        String base32 = Totp.base32(secret);
        String issuer = tokens.issuer();
        String uri = "otpauth://totp/" + encode(issuer) + ":" + encode(checked.username()) + "?secret=" + base32
                + "&issuer=" + encode(issuer) + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new TotpSetup(base32, uri);
    }

    /**
     * Turns the factor on with a current code of the pending secret, counted on the session's
     * budget: the recovery codes, shown this once and stored only as keyed hashes. The code's step
     * is the first accepted one, so it does not work again.
     */
    public List<String> confirm(User live, Principal principal, String code, Caller caller) {
        if (live.mfaEnabled() || live.totp() == null || live.totp().pendingSecret() == null) {
            throw ApiError.badUserInput("Call enableTotp first");
        }
        var budget = LoginThrottle.Budget.ofSession(principal.sessionId());
        factor.count(live, budget, principal.sessionId(), caller);
        String pending = live.totp().pendingSecret();
        Optional<Long> step = code == null ? Optional.empty()
                : factor.matchingStep(keys.decrypt(live.userId(), pending), Long.MIN_VALUE, code.strip());
        if (step.isEmpty()) {
            throw factor.failed(live, principal.sessionId(), caller);
        }
        var codes = new ArrayList<String>();
        var hashes = new LinkedHashSet<String>();
        while (codes.size() < RECOVERY_CODES) {
            String recovery = keys.newRecoveryCode();
            if (hashes.add(keys.recoveryHash(live.userId(), recovery))) {
                codes.add(recovery);
            }
        }
        if (!store.enable(live, pending, step.get(), hashes)) {
            // Another setup replaced the pending secret, or another confirmation won.
            throw factor.failed(live, principal.sessionId(), caller);
        }
        factor.reset(budget);
        events.record(SecurityEvent.of(SecurityEvent.Type.MFA_ENABLED, caller, live.userId(), principal.sessionId()));
        return List.copyOf(codes);
    }

    /** Turns the factor off, once the password and then a current code (or a recovery code) are checked. */
    public boolean disable(User live, Principal principal, String password, String code, Caller caller) {
        if (!live.mfaEnabled()) {
            throw ApiError.badUserInput("The second factor is off");
        }
        User checked = currentPassword.check(live, principal, password, caller);
        factor.check(checked, code, LoginThrottle.Budget.ofSession(principal.sessionId()), principal.sessionId(), caller);
        if (!store.disable(checked, checked.totp().secret())) {
            throw factor.failed(checked, principal.sessionId(), caller);
        }
        events.record(SecurityEvent.of(SecurityEvent.Type.MFA_DISABLED, caller, live.userId(), principal.sessionId()));
        return true;
    }

    /**
     * The answer to a login that proved the password of a user with the factor on: no tokens, an
     * mfa token for this attempt. {@code deviceId}: the trusted device the login came from, or null.
     */
    public ApiError challenge(User user, String deviceId) {
        String token = tokens.issueMfa(user.userId(), user.username(), user.tokenCount(), newId(), deviceId);
        return ApiError.builder(TotpError.MFA_REQUIRED).message(SecondFactor.REQUIRED)
                .extension(MFA_TOKEN_EXTENSION, token).build();
    }

    /**
     * The login's second step: the mfa token and a code give the session's tokens and a device
     * token, as a login does. Each try counts against the login's budget (the device's, for a
     * login from a trusted device; the name's otherwise) and against the token's own
     * {@link #MFA_TOKEN_TRIES}; the token is consumed by a compare-and-set before the code is spent.
     */
    public LoginService.LoginResult verifyMfa(String mfaToken, String code, Caller caller) {
        MfaClaims claims = tokens.verifyMfa(mfaToken).orElseThrow(SecondFactor::invalid);
        User user = users.findByUsername(claims.username())
                .filter(found -> found.userId().equals(claims.userId()) && found.tokenCount() == claims.tokenCount()
                        && found.mfaEnabled())
                .orElseThrow(SecondFactor::invalid);
        var budget = claims.deviceId() != null && user.devices().contains(claims.deviceId())
                ? LoginThrottle.Budget.ofDevice(claims.deviceId())
                : LoginThrottle.Budget.ofName(user.username());
        factor.count(user, budget, null, caller);
        AttemptCounters.Counter tried = countTry(claims.attemptId(), user, caller);
        SecondFactor.Proof proof = factor.match(user, code).orElseThrow(() -> factor.failed(user, null, caller));
        if (!consume(claims.attemptId(), tried)) {
            throw factor.failed(user, null, caller);
        }
        factor.spend(user, proof, null, caller);
        factor.reset(budget);
        Session session = sessions.open(caller).withMultiFactor();
        String deviceId = newId();
        User stored = storeSession(user, session, deviceId).orElseThrow(SecondFactor::invalid);
        events.record(SecurityEvent.of(SecurityEvent.Type.LOGIN_SUCCEEDED, caller, stored.userId(), session.id()));
        return new LoginService.LoginResult(sessions.issue(stored, session),
                tokens.issueDevice(stored.userId(), stored.username(), deviceId));
    }

    /** One more try of an mfa token, before its code is checked; refused once it is dead or consumed. */
    private AttemptCounters.Counter countTry(String attemptId, User user, Caller caller) {
        var expected = new AttemptCounters.Counter[] {AttemptCounters.Counter.NONE};
        Instant now = now();
        return ConflictRetry.untilWritten(MFA_TOKEN_TRIES + ConflictRetry.USER_WRITES, () -> {
            if (expected[0].count() >= MFA_TOKEN_TRIES) {
                throw factor.failed(user, null, caller);
            }
            var next = new AttemptCounters.Counter(expected[0].count() + 1, Instant.EPOCH, expiry(now));
            Optional<AttemptCounters.Counter> stored = counters.compareAndSet(MFA_TOKEN_PREFIX + attemptId,
                    expected[0], next, now);
            stored.ifPresent(current -> expected[0] = current);
            return ConflictRetry.Attempt.writtenOr(stored.isEmpty(), next);
        });
    }

    /** Consumes the mfa token, on condition that nobody consumed it or spent its tries meanwhile. */
    private boolean consume(String attemptId, AttemptCounters.Counter tried) {
        var expected = new AttemptCounters.Counter[] {tried};
        Instant now = now();
        return ConflictRetry.untilWritten(() -> {
            // Other tries counted meanwhile do not stand in the way; a consumption does.
            if (expected[0].count() >= CONSUMED || AttemptCounters.Counter.NONE.equals(expected[0])) {
                return ConflictRetry.Attempt.done(false);
            }
            Optional<AttemptCounters.Counter> stored = counters.compareAndSet(MFA_TOKEN_PREFIX + attemptId,
                    expected[0], new AttemptCounters.Counter(CONSUMED, Instant.EPOCH, expiry(now)), now);
            stored.ifPresent(current -> expected[0] = current);
            return ConflictRetry.Attempt.writtenOr(stored.isEmpty(), true);
        });
    }

    /** Adds the session and trusts the device, on condition that the item is the one of the mfa token's login. */
    private Optional<User> storeSession(User verified, Session session, String deviceId) {
        var current = new User[] {verified};
        return ConflictRetry.untilWritten(() -> {
            if (current[0] == null) {
                Optional<User> reread = users.findByUsername(verified.username())
                        .filter(user -> user.userId().equals(verified.userId())
                                && user.tokenCount() == verified.tokenCount());
                if (reread.isEmpty()) {
                    return ConflictRetry.Attempt.done(Optional.<User>empty());
                }
                current[0] = reread.get();
            }
            User next = sessions.adding(current[0], session).withDevice(deviceId);
            current[0] = null;
            return ConflictRetry.Attempt.writtenOr(users.update(next), Optional.of(next));
        });
    }

    private Instant expiry(Instant now) {
        return now.plus(TokenService.MFA_TTL).plusSeconds(60);
    }

    private String newId() {
        byte[] id = new byte[16];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
