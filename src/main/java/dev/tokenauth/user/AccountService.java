package dev.tokenauth.user;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

import dev.tokenauth.token.Principal;
import dev.tokenauth.token.RefreshClaims;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.token.TokenService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Registration, login, sessions and the refresh check: everything that reads or writes a user.
 * Every change is a conditional write of the whole user (see {@link UserRepository#update}),
 * re-read and retried when another request wrote first, so no update is ever lost.
 */
public final class AccountService {

    private static final Log log = LogFactory.getLog(AccountService.class);
    private static final String BAD_CREDENTIALS = "Invalid username or password";
    /** Writes of one user rarely collide; a few tries settle any realistic race. */
    private static final int MAX_WRITE_ATTEMPTS = 5;

    private final UserRepository users;
    private final LoginAttempts attempts;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final Clock clock;
    private final Policy policy;
    private final SecureRandom random = new SecureRandom();

    /** The rules a deployment chooses. */
    public record Policy(boolean registrationEnabled, int maxSessions, Duration refreshGrace, LoginBackoff backoff) {
    }

    public AccountService(UserRepository users, LoginAttempts attempts, PasswordHasher hasher, TokenService tokens,
                          Clock clock, Policy policy) {
        this.users = users;
        this.attempts = attempts;
        this.hasher = hasher;
        this.tokens = tokens;
        this.clock = clock;
        this.policy = policy;
    }

    /**
     * Starts a new session. The same answer, in about the same time, for an unknown name and a
     * wrong password: a missing user still costs one BCrypt check, and failures lock a name
     * whether or not an account has it.
     */
    public TokenPair login(String username, String password) {
        if (password == null || !PasswordHasher.hasAcceptableLength(password)) {
            throw new AuthException(AuthException.Code.INVALID_CREDENTIALS, BAD_CREDENTIALS);
        }
        Optional<String> name = Usernames.normalize(username);
        Instant now = now();
        LoginAttempts.Failures failures = name.map(this::failuresOrThrottle).orElse(LoginAttempts.Failures.NONE);
        Optional<User> user = name.flatMap(users::findByUsername);
        PasswordHasher.Verdict verdict = user.isPresent()
                ? hasher.verify(password, user.get().passwordHash())
                : PasswordHasher.Verdict.MISMATCH;
        if (user.isEmpty()) {
            hasher.matchesDecoy(password);
        }
        if (!verdict.matched()) {
            name.ifPresent(n -> attempts.recordFailure(n, now));
            throw new AuthException(AuthException.Code.INVALID_CREDENTIALS, BAD_CREDENTIALS);
        }
        if (failures.count() > 0) {
            attempts.reset(name.get());
        }
        // A hash of a lower cost, or of the password's raw form, is replaced while the password is at hand.
        String upgraded = verdict == PasswordHasher.Verdict.MATCH_REHASH ? hasher.hash(password) : null;
        Session session = newSession(now);
        User stored = update(user.get().username(), user.get().userId(), current -> {
            User next = current.withSession(session, policy.maxSessions());
            return upgraded == null ? next : next.withPasswordHash(upgraded);
        });
        return tokens.issue(stored.principal(session), session.generation(), session.rotatedAt());
    }

    public TokenPair register(String username, String password) {
        if (!policy.registrationEnabled()) {
            throw new AuthException(AuthException.Code.FORBIDDEN, "Registration is closed");
        }
        String name = Usernames.normalize(username).orElseThrow(() ->
                new AuthException(AuthException.Code.BAD_USER_INPUT, "Username must be " + Usernames.RULE));
        requireAcceptablePassword(password);
        Instant now = now();
        Session session = newSession(now);
        var user = new User(UUID.randomUUID().toString(), name, hasher.hash(password), 0,
                Map.of(session.id(), session), now, 0);
        try {
            users.create(user);
        } catch (UsernameTakenException e) {
            throw new AuthException(AuthException.Code.USERNAME_TAKEN, "That username is taken");
        }
        return tokens.issue(user.principal(session), session.generation(), session.rotatedAt());
    }

    /** The stored user behind a token, if the token's session is still live. */
    public User currentUser(Principal principal) {
        return users.findByUsername(principal.username())
                .filter(user -> user.isCurrentFor(principal))
                .orElseThrow(AuthException::unauthenticated);
    }

    /** Ends the session the token belongs to; the user's other devices stay logged in. */
    public boolean logout(Principal principal) {
        updateCurrent(principal, user -> user.withoutSession(principal.sessionId()));
        return true;
    }

    /** Ends every session of the user: all tokens minted so far stop working. */
    public boolean logoutEverywhere(Principal principal) {
        updateCurrent(principal, User::revokingAllSessions);
        return true;
    }

    /** Replaces the password, ends every session, and starts a new one for the caller. */
    public TokenPair changePassword(Principal principal, String oldPassword, String newPassword) {
        User user = currentUser(principal);
        LoginAttempts.Failures failures = failuresOrThrottle(user.username());
        if (oldPassword == null || !hasher.matches(oldPassword, user.passwordHash())) {
            attempts.recordFailure(user.username(), now());
            throw new AuthException(AuthException.Code.INVALID_CREDENTIALS, "The current password is wrong");
        }
        if (failures.count() > 0) {
            attempts.reset(user.username());
        }
        requireAcceptablePassword(newPassword);
        String hash = hasher.hash(newPassword);
        Session session = newSession(now());
        User stored = updateCurrent(principal,
                current -> current.withPasswordHash(hash).revokingAllSessions().withSession(session, policy.maxSessions()));
        return tokens.issue(stored.principal(session), session.generation(), session.rotatedAt());
    }

    /**
     * The refresh step with rotation and reuse detection (RFC 9700, section 4.14.2): the newest
     * refresh token of a live session is exchanged for the next generation; the token it replaced
     * still yields that same next pair for {@code refreshGrace} (concurrent requests of one
     * client); any older token is a replay, and ends every session of the user.
     */
    public Optional<Refreshed> refresh(RefreshClaims claims) {
        Principal presented = claims.principal();
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            Optional<User> found = users.findByUsername(presented.username())
                    .filter(user -> user.userId().equals(presented.userId()) && user.tokenCount() == presented.tokenCount());
            Optional<Session> live = found.flatMap(user -> user.session(presented.sessionId()));
            if (live.isEmpty()) {
                return Optional.empty();
            }
            User user = found.get();
            Session session = live.get();
            Instant now = now();
            if (claims.generation() == session.generation()) {
                Session next = session.next(now);
                if (users.update(user.replacingSession(next))) {
                    return Optional.of(refreshed(user, next));
                }
                continue;
            }
            boolean justReplaced = claims.generation() == session.generation() - 1
                    && !now.isAfter(session.rotatedAt().plus(policy.refreshGrace()));
            if (justReplaced) {
                return Optional.of(refreshed(user, session));
            }
            if (claims.generation() > session.generation()) {
                return Optional.empty();
            }
            if (users.update(user.revokingAllSessions())) {
                log.warn("Refresh replay detected for user " + user.userId() + ": all sessions revoked");
                return Optional.empty();
            }
        }
        throw contention();
    }

    public record Refreshed(Principal principal, TokenPair tokens) {
    }

    private Refreshed refreshed(User user, Session session) {
        Principal principal = user.principal(session);
        return new Refreshed(principal, tokens.issue(principal, session.generation(), session.rotatedAt()));
    }

    private LoginAttempts.Failures failuresOrThrottle(String name) {
        LoginAttempts.Failures failures = attempts.failures(name);
        Instant now = now();
        policy.backoff().lockedUntil(failures, now).ifPresent(until -> {
            long seconds = Math.max(1, Duration.between(now, until).toSeconds());
            throw AuthException.throttled(seconds);
        });
        return failures;
    }

    private User updateCurrent(Principal principal, UnaryOperator<User> change) {
        return update(principal.username(), principal.userId(), current -> {
            if (!current.isCurrentFor(principal)) {
                throw AuthException.unauthenticated();
            }
            return change.apply(current);
        });
    }

    /** Applies a change to the stored user, re-reading and retrying when another request wrote first. */
    private User update(String username, String userId, UnaryOperator<User> change) {
        for (int attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
            User current = users.findByUsername(username)
                    .filter(user -> user.userId().equals(userId))
                    .orElseThrow(AuthException::unauthenticated);
            User changed = change.apply(current);
            if (users.update(changed)) {
                return changed;
            }
        }
        throw contention();
    }

    private static UserStoreUnavailableException contention() {
        return new UserStoreUnavailableException("Too many concurrent changes to one user", null);
    }

    private Session newSession(Instant now) {
        byte[] id = new byte[12];
        random.nextBytes(id);
        // createdAt keeps milliseconds: it orders a user's sessions when the oldest must go.
        return new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(id), 0, now,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Whole seconds: session times are also token issue times, which JWT keeps in seconds. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static void requireAcceptablePassword(String password) {
        if (password == null || !PasswordHasher.hasAcceptableLength(password)) {
            throw new AuthException(AuthException.Code.BAD_USER_INPUT, "Password must be "
                    + PasswordHasher.MIN_PASSWORD_BYTES + " to " + PasswordHasher.MAX_PASSWORD_BYTES
                    + " bytes of well-formed Unicode");
        }
    }
}
