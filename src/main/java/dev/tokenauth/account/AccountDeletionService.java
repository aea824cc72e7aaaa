package dev.tokenauth.account;

import java.time.Clock;
import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;

/**
 * Deletes the caller's account once its password is checked: first what every module stores for
 * the user ({@link UserDataDeletion}), then the user item, and with it
 * every session, so every token stops working for resolvers that read the user; so do the
 * failed-login budgets of its name, its trusted devices and its sessions. The name is free
 * again at once; a new account under it has a new user id, which no earlier token or device token
 * carries.
 */
public final class AccountDeletionService {

    private final UserRepository users;
    private final LoginThrottle throttle;
    private final CurrentPassword current;
    private final SecurityEvents events;
    private final UserDataDeletion moduleData;

    public AccountDeletionService(UserRepository users, PasswordHasher hasher, LoginThrottle throttle,
                                  SessionService sessions, Clock clock, SecurityEvents events,
                                  UserDataDeletion moduleData) {
        this.users = users;
        this.moduleData = moduleData;
        this.throttle = throttle;
        this.current = new CurrentPassword(users, hasher, throttle, sessions, clock, events);
        this.events = events;
    }

    /** {@code live}: the caller's stored user, as the request already read it. */
    public boolean deleteAccount(User live, Principal principal, String password, Caller caller) {
        User checked = current.check(live, principal, password, caller);
        // The modules' data first: if that fails, the account stays and a retry finishes the job.
        moduleData.deleteUserData(checked.userId());
        User deleted = current.writeChecked(checked, password,
                user -> users.delete(user) ? Optional.of(user) : Optional.<User>empty());
        // Everything else stored for the user: the failure budgets of the name, each device and each session.
        throttle.reset(LoginThrottle.Budget.ofName(deleted.username()));
        deleted.devices().forEach(device -> throttle.reset(LoginThrottle.Budget.ofDevice(device)));
        deleted.sessions().keySet().forEach(session -> throttle.reset(LoginThrottle.Budget.ofSession(session)));
        events.record(SecurityEvent.of(SecurityEvent.Type.ACCOUNT_DELETED, caller, checked.userId(), principal.sessionId()));
        return true;
    }
}
