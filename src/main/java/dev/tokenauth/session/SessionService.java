package dev.tokenauth.session;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.token.DpopProofs;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenClaims;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.ConflictRetry.Attempt;
import dev.tokenauth.user.ConflictRetry;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;

/**
 * A user's sessions: opening one, minting its tokens, the refresh step (rotation, the grace
 * window, reuse detection), the session's absolute end, ending one or all, and the user's own list.
 * Sessions live in the user's item, so every change is a conditional write of that item.
 */
public final class SessionService {

    private final UserRepository users;
    private final TokenService tokens;
    private final Clock clock;
    private final Policy policy;
    private final SecurityEvents events;
    private final SecureRandom random = new SecureRandom();

    /**
     * {@code maxSessions} per user (the least recently used goes first); {@code refreshGrace}: how
     * long a just-replaced refresh token still yields the pair that replaced it;
     * {@code maxLifetime}: how long after its login a session ends, however often refreshed;
     * {@code dpop}: whether sessions are bound to the client's DPoP key.
     */
    public record Policy(int maxSessions, Duration refreshGrace, Duration maxLifetime, DpopMode dpop) {

        public Policy(int maxSessions, Duration refreshGrace, Duration maxLifetime) {
            this(maxSessions, refreshGrace, maxLifetime, DpopMode.OPTIONAL);
        }
    }

    /** A refresh's outcome: the caller, the pair to send back, and the user item as stored now. */
    public record Refreshed(Principal principal, TokenPair tokens, User user) {
    }

    /** One entry of a user's own list of sessions; {@code current} marks the session asking. */
    public record SessionInfo(String id, Instant createdAt, Instant lastUsedAt, String label, boolean current) {
    }

    public SessionService(UserRepository users, TokenService tokens, Clock clock, Policy policy,
                          SecurityEvents events) {
        this.users = users;
        this.tokens = tokens;
        this.clock = clock;
        this.policy = policy;
        this.events = events;
    }

    /**
     * A new session for a login from {@code caller}, stored by {@link #adding}; bound to the DPoP
     * key the caller proved it holds, if any. With DPoP required, a caller without a key is refused.
     */
    public Session open(Caller caller) {
        if (policy.dpop() == DpopMode.REQUIRED && caller.keyThumbprint() == null) {
            throw ApiError.of(ErrorType.UNAUTHENTICATED, "Log in with a DPoP proof (RFC 9449): this service requires one");
        }
        byte[] id = new byte[12];
        random.nextBytes(id);
        Instant precise = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return new Session(Base64.getUrlEncoder().withoutPadding().encodeToString(id), 0, seconds(precise),
                precise, precise, Session.label(caller.userAgent()))
                .boundTo(policy.dpop() == DpopMode.OFF ? null : caller.keyThumbprint());
    }

    /**
     * {@code user} with {@code session} added; sessions past their end go, and beyond the limit
     * the sessions used least recently.
     */
    public User adding(User user, Session session) {
        Instant now = clock.instant();
        User live = user;
        for (Session existing : user.sessions().values()) {
            if (!now.isBefore(existing.endsAt(policy.maxLifetime()))) {
                live = live.withoutSession(existing.id());
            }
        }
        return live.withSession(session, policy.maxSessions());
    }

    /** The tokens of a session's current generation; they never outlive the session. */
    public TokenPair issue(User user, Session session) {
        return tokens.issue(user.principal(session), session.generation(), session.rotatedAt(),
                session.endsAt(policy.maxLifetime()), session.keyThumbprint());
    }

    /** The stored user behind a token, if the token's session is still live: one read. */
    public Optional<User> liveUser(Principal principal) {
        return users.findByUsername(principal.username()).filter(user -> isLive(user, principal));
    }

    /**
     * The one rule of a live session: the token was minted for this very user (not an earlier
     * holder of the name) and its token count, its session is still stored, and the session has
     * not reached its absolute end.
     */
    public boolean isLive(User user, Principal principal) {
        Instant now = clock.instant();
        return user.isCurrentFor(principal)
                && user.session(principal.sessionId()).filter(s -> now.isBefore(s.endsAt(policy.maxLifetime()))).isPresent();
    }

    /** {@link #liveUser}, or UNAUTHENTICATED. */
    public User currentUser(Principal principal) {
        return liveUser(principal).orElseThrow(ApiError::unauthenticated);
    }

    /**
     * The refresh step with rotation and reuse detection (RFC 9700, section 4.14.2): the newest
     * refresh token of a live session is exchanged for the next generation; the token it replaced
     * still yields that same next pair for {@code refreshGrace} (concurrent requests of one
     * client); any older token is a replay, and ends every session of the user.
     */
    public Optional<Refreshed> refresh(TokenClaims claims, Caller caller) {
        return refresh(claims, caller, null);
    }

    /**
     * {@link #refresh(TokenClaims, Caller)} with the request's DPoP proof, or null. A session bound
     * to a key refreshes only with a proof from that key whose {@code jti} none of its refreshes
     * spent yet, and every refresh that succeeds records the proof in the same conditional write
     * (until the proof is too old to be accepted anyway): a request without the key changes nothing
     * (it cannot even trigger reuse detection), and no proof works twice, the grace window's
     * re-sends included.
     */
    public Optional<Refreshed> refresh(TokenClaims claims, Caller caller, DpopProofs.Proof proof) {
        Principal presented = claims.principal();
        return ConflictRetry.untilWritten(() -> {
            Optional<User> found = users.findByUsername(presented.username()).filter(user -> isLive(user, presented));
            if (found.isEmpty()) {
                return Attempt.done(Optional.<Refreshed>empty());
            }
            Instant precise = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Instant now = seconds(precise);
            User user = found.get();
            Session session = user.session(presented.sessionId()).orElseThrow();
            if (session.bound() && (proof == null || !session.keyThumbprint().equals(proof.thumbprint())
                    || session.spent(proof.jti())
                    || session.spentSince(precise.minus(DpopProofs.WINDOW)) >= Session.MAX_SPENT_PROOFS)) {
                return Attempt.done(Optional.<Refreshed>empty());
            }
            if (claims.generation() == session.generation()) {
                Session next = session.bound() ? spending(session.next(now, precise), proof, precise)
                        : session.next(now, precise);
                User rotated = user.replacingSession(next);
                if (!users.update(rotated)) {
                    return Attempt.conflict();
                }
                events.record(SecurityEvent.of(SecurityEvent.Type.SESSION_REFRESHED, caller, user.userId(), session.id()));
                return Attempt.done(Optional.of(refreshed(rotated.nextRevision(), next)));
            }
            boolean justReplaced = claims.generation() == session.generation() - 1
                    && !now.isAfter(session.rotatedAt().plus(policy.refreshGrace()));
            if (justReplaced && session.bound()) {
                User spent = user.replacingSession(spending(session, proof, precise));
                if (!users.update(spent)) {
                    return Attempt.conflict();
                }
                return Attempt.done(Optional.of(refreshed(spent.nextRevision(), session)));
            }
            if (justReplaced) {
                return Attempt.done(Optional.of(refreshed(user, session)));
            }
            if (claims.generation() > session.generation()) {
                return Attempt.done(Optional.<Refreshed>empty());
            }
            if (!users.update(user.revokingAllSessions())) {
                return Attempt.conflict();
            }
            events.record(SecurityEvent.of(SecurityEvent.Type.REFRESH_REUSE_DETECTED, caller, user.userId(), session.id()));
            return Attempt.done(Optional.<Refreshed>empty());
        });
    }

    /** Ends the session the token belongs to; the user's other devices stay logged in. */
    public boolean logout(User live, Principal principal, Caller caller) {
        updateCurrent(live, principal, user -> user.withoutSession(principal.sessionId()));
        events.record(SecurityEvent.of(SecurityEvent.Type.LOGGED_OUT, caller, principal.userId(), principal.sessionId()));
        return true;
    }

    /** Ends every session of the user: all tokens minted so far stop working. */
    public boolean logoutEverywhere(User live, Principal principal, Caller caller) {
        updateCurrent(live, principal, User::revokingAllSessions);
        events.record(SecurityEvent.of(SecurityEvent.Type.LOGGED_OUT_EVERYWHERE, caller, principal.userId(),
                principal.sessionId()));
        return true;
    }

    /** The caller's own sessions, most recently used first, from the user already read as live for them. */
    public List<SessionInfo> list(User live, Principal principal) {
        return live.sessions().values().stream()
                .sorted(Comparator.comparing(Session::lastUsedAt).reversed())
                .map(s -> new SessionInfo(s.id(), s.createdAt(), s.lastUsedAt(), s.label(),
                        s.id().equals(principal.sessionId())))
                .toList();
    }

    /**
     * Ends one of the caller's own sessions by id. An id that is not one of them (another user's,
     * or none at all) changes nothing and is refused with the same message.
     */
    public boolean revoke(User live, Principal principal, String sessionId, Caller caller) {
        updateCurrent(live, principal, user -> {
            if (sessionId == null || user.session(sessionId).isEmpty()) {
                throw ApiError.of(ErrorType.BAD_USER_INPUT, "You have no session with that id");
            }
            return user.withoutSession(sessionId);
        });
        events.record(SecurityEvent.of(SecurityEvent.Type.SESSION_REVOKED, caller, principal.userId(), sessionId));
        return true;
    }

    /**
     * Applies a change to {@code live}, the stored user the token speaks for as this request
     * already read it, on condition that nobody wrote in between; when someone did, it is read
     * again and the change decided again on it. Unauthenticated once the session is gone.
     */
    public User updateCurrent(User live, Principal principal, UnaryOperator<User> change) {
        var basis = new User[] {live};
        return ConflictRetry.untilWritten(() -> {
            User current = basis[0] != null ? basis[0] : currentUser(principal);
            basis[0] = null;
            User changed = change.apply(current);
            return Attempt.writtenOr(users.update(changed), changed.nextRevision());
        });
    }

    /** {@code session} having spent {@code proof}; proofs too old to be accepted again are forgotten. */
    private static Session spending(Session session, DpopProofs.Proof proof, Instant now) {
        return session.spending(new Session.SpentProof(proof.jti(), proof.issuedAt()), now.minus(DpopProofs.WINDOW));
    }

    private Refreshed refreshed(User user, Session session) {
        Principal principal = user.principal(session);
        return new Refreshed(principal, issue(user, session), user);
    }

    /** Whole seconds: session times are also token issue times, which JWT keeps in seconds. */
    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS);
    }
}
