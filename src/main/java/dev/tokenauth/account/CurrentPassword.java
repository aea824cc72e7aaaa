package dev.tokenauth.account;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.ConflictRetry;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;

/**
 * The check of a logged-in user's current password before a change that needs it (a new
 * password, deleting the account): counted against the session's own failure budget before the
 * check, so a stolen session gets a login's few guesses and strangers cannot lock the owner out, and the change written on condition that the stored hash is still the one checked.
 */
final class CurrentPassword {

    static final String WRONG = "The current password is wrong";

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SessionService sessions;
    private final Clock clock;
    private final SecurityEvents events;

    CurrentPassword(UserRepository users, PasswordHasher hasher, LoginThrottle throttle, SessionService sessions,
                    Clock clock, SecurityEvents events) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.sessions = sessions;
        this.clock = clock;
        this.events = events;
    }

    /**
     * {@code live}, the user behind the token as this request already read it, once
     * {@code password} is checked against its stored hash.
     */
    User check(User live, Principal principal, String password, Caller caller) {
        User user = live;
        // The session's own budget: strangers guessing at the name cannot lock the owner's checks.
        var budget = LoginThrottle.Budget.ofSession(principal.sessionId());
        try {
            throttle.count(budget, now());
        } catch (ApiError e) {
            events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_THROTTLED, caller, user.userId(),
                    principal.sessionId(), user.username(), LoginService.THROTTLED_REASON));
            throw e;
        }
        if (password == null || !hasher.matches(password, user.passwordHash())) {
            // A failed password check like a login's: it spends the same budget, so it counts in the same metric.
            events.record(new SecurityEvent(SecurityEvent.Type.LOGIN_FAILED, caller, user.userId(),
                    principal.sessionId(), user.username(), LoginService.INVALID_CREDENTIALS_REASON));
            throw ApiError.of(ErrorType.INVALID_CREDENTIALS, WRONG);
        }
        throttle.reset(budget);
        return user;
    }

    /**
     * Writes {@code write(checked)}, which is conditional on the checked hash and empty when it no
     * longer holds; then checks the password again (the same attempt: not counted twice) against
     * the hash that replaced it, and writes against that item. Other writes meanwhile, such as
     * logins adding sessions or evicting the caller's, are no reason to fail: the password was
     * proved while the caller's session was live.
     */
    <T> T writeChecked(User checked, String password, Function<User, Optional<T>> write) {
        var basis = new User[] {checked};
        return ConflictRetry.untilWritten(() -> {
            Optional<T> written = write.apply(basis[0]);
            if (written.isPresent()) {
                return ConflictRetry.Attempt.done(written.get());
            }
            User current = users.findByUsername(checked.username())
                    .filter(user -> user.userId().equals(checked.userId()))
                    .orElseThrow(ApiError::unauthenticated);
            if (!current.passwordHash().equals(basis[0].passwordHash()) && !hasher.matches(password, current.passwordHash())) {
                throw ApiError.of(ErrorType.INVALID_CREDENTIALS, WRONG);
            }
            basis[0] = current;
            return ConflictRetry.Attempt.conflict();
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
