package dev.tokenauth.account;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;
import dev.tokenauth.user.UsernameRules;
import dev.tokenauth.user.UsernameTakenException;

/**
 * Creating an account, logged in at once. Well-formed attempts are counted per source network
 * before the lookup and the hashing: {@code register} tells whether a name is taken, so its rate
 * bounds how fast names can be probed.
 */
public final class RegistrationService {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final RegistrationThrottle throttle;
    private final SessionService sessions;
    private final Clock clock;
    private final boolean enabled;
    private final SecurityEvents events;
    private final EmailVerificationService emails;

    public RegistrationService(UserRepository users, PasswordHasher hasher, RegistrationThrottle throttle,
                               SessionService sessions, Clock clock, boolean enabled, SecurityEvents events,
                               EmailVerificationService emails) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.sessions = sessions;
        this.clock = clock;
        this.enabled = enabled;
        this.events = events;
        this.emails = emails;
    }

    public TokenPair register(String username, String password, Caller caller) {
        return register(username, password, null, caller);
    }

    /**
     * With an address ({@code email} not null): claimed before the account is stored, so of two
     * registrations with one address exactly one gets it (EMAIL_TAKEN for the other), and a
     * verification code mailed once it is.
     */
    public TokenPair register(String username, String password, String email, Caller caller) {
        if (!enabled) {
            throw ApiError.of(ErrorType.FORBIDDEN, "Registration is closed");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String name = UsernameRules.canonical(username).orElseThrow(() ->
                ApiError.of(ErrorType.BAD_USER_INPUT, "Username must be " + UsernameRules.RULE));
        Passwords.requireAcceptable(password);
        String address = email == null ? null : EmailVerificationService.normalised(email);
        // Only attempts that could create an account count: a malformed one from a shared address
        // must not use up its neighbours' budget, and reveals nothing about any name.
        throttle.count(caller.sourceIp(), now);
        Session session = sessions.open(caller);
        var created = sessions.adding(new User(UUID.randomUUID().toString(), name, hasher.hash(password), 0, Map.of(),
                now, 0), session);
        var user = address == null ? created : created.withUnverifiedEmail(address);
        if (address != null) {
            emails.claimForRegistration(user, address, caller);
        }
        try {
            users.create(user);
        } catch (UsernameTakenException e) {
            if (address != null) {
                emails.releaseClaim(address, user);
            }
            throw ApiError.of(ErrorType.USERNAME_TAKEN, "That username is taken");
        }
        events.record(SecurityEvent.of(SecurityEvent.Type.USER_REGISTERED, caller, user.userId(), session.id()));
        if (address != null) {
            emails.sendAfterRegistration(user, caller);
        }
        return sessions.issue(user, session);
    }
}
