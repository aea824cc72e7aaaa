package dev.tokenauth.memory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import dev.tokenauth.account.AccountDeletionService;
import dev.tokenauth.account.LoginBackoff;
import dev.tokenauth.account.LoginService;
import dev.tokenauth.account.LoginThrottle;
import dev.tokenauth.account.PasswordChangeService;
import dev.tokenauth.account.RegistrationService;
import dev.tokenauth.account.RegistrationThrottle;
import dev.tokenauth.audit.Caller;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenSettings;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.UserRepository;

/** The domain wired to in-memory ports and a mutable clock, as Components wires it to DynamoDB. */
public final class TestAccounts {

    public static final String PASSWORD = "correct horse battery staple";
    public static final Caller CALLER = new Caller("request-1", "192.0.2.1", "Mozilla/5.0 (test)");
    public static final SessionService.Policy SESSIONS =
            new SessionService.Policy(3, Duration.ofSeconds(AppConfig.DEFAULT_REFRESH_GRACE_SECONDS), Duration.ofDays(30));

    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    public final InMemoryAttemptCounters counters = new InMemoryAttemptCounters();
    public final RecordedEvents events = new RecordedEvents();
    public final RecordingModuleData moduleData = new RecordingModuleData();
    public final UserRepository users;
    public final PasswordHasher hasher;
    public final TokenService tokens;
    public final SessionService sessions;
    public final LoginService login;
    public final RegistrationService registration;
    public final PasswordChangeService passwords;
    public final AccountDeletionService deletion;

    public TestAccounts() {
        this(new InMemoryUsers(), 4, SESSIONS);
    }

    public TestAccounts(UserRepository users, int bcryptCost, SessionService.Policy policy) {
        this.users = users;
        this.hasher = new PasswordHasher(bcryptCost);
        this.tokens = new TokenService(new TokenSettings("test",
                "access-key-of-thirty-two-bytes-at-least".getBytes(StandardCharsets.UTF_8),
                "refresh-key-of-thirty-two-bytes-at-least".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(15), Duration.ofDays(7)), clock);
        this.sessions = new SessionService(users, tokens, clock, policy, events);
        var throttle = new LoginThrottle(counters, LoginBackoff.DEFAULT);
        this.login = new LoginService(users, hasher, throttle, sessions, tokens, clock, events);
        this.registration = new RegistrationService(users, hasher, new RegistrationThrottle(counters, 100,
                Duration.ofHours(1)), sessions, clock, true, events);
        this.passwords = new PasswordChangeService(users, hasher, throttle, sessions, clock, events);
        this.deletion = new AccountDeletionService(users, hasher, throttle, sessions, clock, events, moduleData);
    }

    public TokenPair register(String name) {
        return registration.register(name, PASSWORD, CALLER);
    }

    public LoginService.LoginResult login(String name, String password) {
        return login.login(name, password, null, CALLER);
    }
}
