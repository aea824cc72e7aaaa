package dev.tokenauth.user;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.Principal;

/**
 * The check of a logged-in user's current password before a change that needs it (a new
 * password, deleting the account): counted against the name's failure budget before the check,
 * like a login, and the change written on condition that the item is still the one checked.
 */
final class CurrentPassword {

    static final String WRONG = "The current password is wrong";

    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SessionService sessions;
    private final Clock clock;
    private final SecurityEvents events;

    CurrentPassword(PasswordHasher hasher, LoginThrottle throttle, SessionService sessions,
                    Clock clock, SecurityEvents events) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.sessions = sessions;
        this.clock = clock;
        this.events = events;
    }

    /** The user behind the token, once {@code password} is checked against its stored hash. */
    User check(Principal principal, String password, Caller caller) {
        User user = sessions.currentUser(principal);
        var budget = LoginThrottle.Budget.ofName(user.username());
        try {
            throttle.count(budget, now());
        } catch (AuthException e) {
            events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_THROTTLED, caller, user.userId(),
                    principal.sessionId(), user.username(), LoginService.THROTTLED_REASON));
            throw e;
        }
        if (password == null || !hasher.matches(password, user.passwordHash())) {
            // A failed password check like a login's: it spends the same budget, so it counts in the same metric.
            events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_FAILED, caller, user.userId(),
                    principal.sessionId(), user.username(), LoginService.INVALID_CREDENTIALS_REASON));
            throw new AuthException(AuthException.Code.INVALID_CREDENTIALS, WRONG);
        }
        throttle.reset(budget);
        return user;
    }

    /**
     * Writes {@code write(current)} for the item that was checked; when another request wrote
     * first, against the new item, after checking the password again if its hash changed.
     */
    <T> T writeChecked(Principal principal, User checked, String password,
                       Function<User, ConflictRetry.Attempt<T>> write) {
        var first = new User[] {checked};
        return ConflictRetry.untilWritten(() -> {
            User current = first[0] != null ? first[0] : sessions.currentUser(principal);
            first[0] = null;
            if (!current.passwordHash().equals(checked.passwordHash()) && !hasher.matches(password, current.passwordHash())) {
                throw new AuthException(AuthException.Code.INVALID_CREDENTIALS, WRONG);
            }
            return write.apply(current);
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
