package dev.tokenauth.account;

import java.time.Clock;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;

/**
 * Replaces the password, ends every session, and starts a new one for the caller, in one write
 * conditional on the hash that was checked: logins meanwhile can neither block it nor survive it.
 */
public final class PasswordChangeService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SessionService sessions;
    private final CurrentPassword current;
    private final SecurityEvents events;

    public PasswordChangeService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle,
                                 SessionService sessions, Clock clock, SecurityEvents events) {
        this.users = users;
        this.hasher = hasher;
        this.sessions = sessions;
        this.current = new CurrentPassword(users, hasher, throttle, sessions, clock, events);
        this.events = events;
    }

    /** {@code live}: the caller's stored user, as the request already read it. */
    public TokenPair changePassword(User live, Principal principal, String oldPassword, String newPassword,
                                    Caller caller) {
        User checked = current.check(live, principal, oldPassword, caller);
        Passwords.requireAcceptable(newPassword);
        String hash = hasher.hash(newPassword);
        Session session = sessions.open(caller);
        User stored = current.writeChecked(checked, oldPassword, user -> users.replacePassword(user, hash, session));
        events.record(SecurityEvent.of(SecurityEvent.Type.PASSWORD_CHANGED, caller, stored.userId(), session.id()));
        return sessions.issue(stored, session);
    }
}
