package dev.tokenauth.user;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.token.Principal;

/**
 * A stored user. {@code tokenCount} moves on at a logout everywhere or a password change: tokens
 * carry the count they were minted with, so moving it on voids them all. {@code sessions} are the
 * user's live logins by id. {@code devices} are the ids of the device tokens issued to the user,
 * newest last: only those are trusted, and each may have a failed-login budget of its own.
 * {@code revision} numbers the stored versions of the item: every change is written on condition
 * that nobody wrote in between.
 */
public record User(String userId, String username, String passwordHash, long tokenCount,
                   Map<String, Session> sessions, Instant createdAt, long revision, List<String> devices) {

    /** Trusted devices per user; a device beyond them is an untrusted client again. */
    public static final int MAX_DEVICES = 20;

    public User {
        sessions = Map.copyOf(sessions);
        devices = List.copyOf(devices);
    }

    /** A user with no trusted device yet. */
    public User(String userId, String username, String passwordHash, long tokenCount,
                Map<String, Session> sessions, Instant createdAt, long revision) {
        this(userId, username, passwordHash, tokenCount, sessions, createdAt, revision, List.of());
    }

    /** With one more trusted device; the earliest ones go beyond {@link #MAX_DEVICES}. */
    public User withDevice(String deviceId) {
        var next = new ArrayList<>(devices);
        next.add(deviceId);
        return new User(userId, username, passwordHash, tokenCount, sessions, createdAt, revision,
                next.subList(Math.max(0, next.size() - MAX_DEVICES), next.size()));
    }

    public Principal principal(Session session) {
        return new Principal(userId, username, tokenCount, session.id());
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
        return new User(userId, username, passwordHash, tokenCount, kept, createdAt, revision, devices);
    }

    public User replacingSession(Session session) {
        var next = new LinkedHashMap<>(sessions);
        next.put(session.id(), session);
        return new User(userId, username, passwordHash, tokenCount, next, createdAt, revision, devices);
    }

    public User withoutSession(String sessionId) {
        var next = new LinkedHashMap<>(sessions);
        next.remove(sessionId);
        return new User(userId, username, passwordHash, tokenCount, next, createdAt, revision, devices);
    }

    /** Every token minted so far stops working: the count moves on and no session survives. */
    public User revokingAllSessions() {
        return new User(userId, username, passwordHash, tokenCount + 1, Map.of(), createdAt, revision, devices);
    }

    public User withPasswordHash(String hash) {
        return new User(userId, username, hash, tokenCount, sessions, createdAt, revision, devices);
    }

    @Override
    public String toString() {
        return "User[userId=" + userId + ", username=" + username + ", tokenCount=" + tokenCount
                + ", sessions=" + sessions.size() + ", revision=" + revision + "]";
    }
}
