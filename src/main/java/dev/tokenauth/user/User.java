package dev.tokenauth.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.tokenauth.token.Principal;

/**
 * A stored user. {@code tokenCount} moves on at a logout everywhere or a password change: tokens
 * carry the count they were minted with, so moving it on voids them all. {@code sessions} are the
 * user's live logins by id. {@code revision} numbers the stored versions of the item: every write
 * moves it on, and a change is written on condition that nobody wrote in between, except a password
 * change or a deletion, which only needs the hash it checked to be still stored. {@code roles} (e.g. admin) are carried in
 * access tokens and checked by the schema's {@code @hasRole}. {@code devices} are the ids of the
 * device tokens issued to the user, newest last: only those are trusted, and each may have a
 * failed-login budget of its own; a password change and the end of every session forget them all.
 * {@code email} is the user's address (null: none), written only through {@link EmailStore} and
 * at registration. {@code totp} is the second factor's state (null: never set up), written only
 * through {@link TotpStore}.
 */
public record User(String userId, String username, String passwordHash, long tokenCount,
                   Map<String, Session> sessions, Instant createdAt, long revision, Set<String> roles,
                   List<String> devices, EmailAddress email, TotpFactor totp) {

    /** Trusted devices per user; a device beyond them is an untrusted client again. */
    public static final int MAX_DEVICES = 20;

    public User {
        sessions = Map.copyOf(sessions);
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /** A user without a second factor. */
    public User(String userId, String username, String passwordHash, long tokenCount,
                Map<String, Session> sessions, Instant createdAt, long revision, Set<String> roles,
                List<String> devices, EmailAddress email) {
        this(userId, username, passwordHash, tokenCount, sessions, createdAt, revision, roles, devices, email, null);
    }

    /** True when logins and the step-up operations ask for a one-time code. */
    public boolean mfaEnabled() {
        return totp != null && totp.enabled();
    }

    /** A user without an address. */
    public User(String userId, String username, String passwordHash, long tokenCount,
                Map<String, Session> sessions, Instant createdAt, long revision, Set<String> roles,
                List<String> devices) {
        this(userId, username, passwordHash, tokenCount, sessions, createdAt, revision, roles, devices, null);
    }

    /** A user without roles or trusted devices. */
    public User(String userId, String username, String passwordHash, long tokenCount,
                Map<String, Session> sessions, Instant createdAt, long revision) {
        this(userId, username, passwordHash, tokenCount, sessions, createdAt, revision, Set.of(), List.of(), null);
    }

    /** The principal of a session's tokens: they carry the user's roles as stored now. */
    public Principal principal(Session session) {
        return new Principal(userId, username, tokenCount, session.id(), roles);
    }

    public Optional<Session> session(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** True when the token was minted for this very user (not an earlier holder of the name), in a live session. */
    public boolean isCurrentFor(Principal principal) {
        return userId.equals(principal.userId()) && tokenCount == principal.tokenCount()
                && sessions.containsKey(principal.sessionId());
    }

    /**
     * With one more session; the ones used least recently go when there would be more than
     * {@code maxSessions}: a device in daily use outlives one logged in last week and then forgotten.
     */
    public User withSession(Session session, int maxSessions) {
        var kept = new LinkedHashMap<String, Session>();
        sessions.values().stream()
                .sorted(Comparator.comparing(Session::lastUsedAt).reversed())
                .limit(Math.max(0, maxSessions - 1))
                .forEach(s -> kept.put(s.id(), s));
        kept.put(session.id(), session);
        return withSessions(kept);
    }

    public User replacingSession(Session session) {
        var next = new LinkedHashMap<>(sessions);
        next.put(session.id(), session);
        return withSessions(next);
    }

    public User withoutSession(String sessionId) {
        var next = new LinkedHashMap<>(sessions);
        next.remove(sessionId);
        return withSessions(next);
    }

    /**
     * Every token minted so far stops working: the count moves on and no session survives. Device
     * trust ends with them: a device token that may have leaked with the sessions counts for nothing.
     */
    public User revokingAllSessions() {
        return new User(userId, username, passwordHash, tokenCount + 1, Map.of(), createdAt, revision, roles, List.of(),
                email, totp);
    }

    /** This user as {@link UserRepository#update} stores it: the next revision. */
    public User nextRevision() {
        return new User(userId, username, passwordHash, tokenCount, sessions, createdAt, revision + 1, roles, devices,
                email, totp);
    }

    public User withPasswordHash(String hash) {
        return new User(userId, username, hash, tokenCount, sessions, createdAt, revision, roles, devices, email, totp);
    }

    public User withRoles(Set<String> changed) {
        return new User(userId, username, passwordHash, tokenCount, sessions, createdAt, revision, changed, devices, email, totp);
    }

    /** With one more trusted device; the earliest ones go beyond {@link #MAX_DEVICES}. */
    public User withDevice(String deviceId) {
        var next = new ArrayList<>(devices);
        next.add(deviceId);
        return new User(userId, username, passwordHash, tokenCount, sessions, createdAt, revision, roles,
                next.subList(Math.max(0, next.size() - MAX_DEVICES), next.size()), email, totp);
    }

    /** With {@code address}, unverified: a new account's address before its code is confirmed. */
    public User withUnverifiedEmail(String address) {
        return new User(userId, username, passwordHash, tokenCount, sessions, createdAt, revision, roles, devices,
                new EmailAddress(address, false), totp);
    }

    private User withSessions(Map<String, Session> changed) {
        return new User(userId, username, passwordHash, tokenCount, changed, createdAt, revision, roles, devices, email, totp);
    }

    @Override
    public String toString() {
        return "User[userId=" + userId + ", username=" + username + ", tokenCount=" + tokenCount
                + ", sessions=" + sessions.size() + ", roles=" + roles + ", revision=" + revision + "]";
    }
}
