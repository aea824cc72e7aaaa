package dev.tokenauth.memory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import dev.tokenauth.account.AccountDeletionService;
import dev.tokenauth.account.EmailCodes;
import dev.tokenauth.account.EmailVerificationService;
import dev.tokenauth.account.LoginBackoff;
import dev.tokenauth.account.LoginService;
import dev.tokenauth.account.LoginThrottle;
import dev.tokenauth.account.MailThrottle;
import dev.tokenauth.account.PasswordChangeService;
import dev.tokenauth.account.PasswordResetService;
import dev.tokenauth.account.RegistrationService;
import dev.tokenauth.account.RegistrationThrottle;
import dev.tokenauth.account.ResponseFloor;
import dev.tokenauth.audit.Caller;
import dev.tokenauth.config.AppConfig;
import dev.tokenauth.mail.ConsoleOutbox;
import dev.tokenauth.mail.MailTemplates;
import dev.tokenauth.mail.Mailer;
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
    public static final Duration RESET_FLOOR = Duration.ofSeconds(1);
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
    /** Claims and codes beside the users (an in-memory store of their own when the users are not in memory). */
    public final InMemoryEmails emails;
    public final ConsoleOutbox outbox = new ConsoleOutbox(line -> { });
    public final EmailCodes codes;
    public final MailThrottle mailThrottle;
    public final EmailVerificationService verification;
    /** Waits of the password-reset floor, taken on the mutable clock instead of in time. */
    public final java.util.List<Duration> floorWaits = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final PasswordResetService resets;

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
        this.emails = new InMemoryEmails(users instanceof InMemoryUsers inMemory ? inMemory : new InMemoryUsers());
        this.codes = new EmailCodes("refresh-key-of-thirty-two-bytes-at-least".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(15));
        this.mailThrottle = new MailThrottle(counters, 5, 20, codes);
        var templates = new MailTemplates();
        this.verification = new EmailVerificationService(users, emails, codes, mailThrottle, mail -> mailer.send(mail),
                templates, hasher, throttle, sessions, clock, events);
        this.resets = new PasswordResetService(users, emails, codes, mailThrottle, mail -> mailer.send(mail), templates,
                hasher, throttle, new ResponseFloor(clock, RESET_FLOOR, duration -> {
                    floorWaits.add(duration);
                    clock.advance(duration);
                }), clock, events);
        this.registration = new RegistrationService(users, hasher, new RegistrationThrottle(counters, 100,
                Duration.ofHours(1)), sessions, clock, true, events, verification);
        this.passwords = new PasswordChangeService(users, hasher, throttle, sessions, clock, events);
        this.deletion = new AccountDeletionService(users, hasher, throttle, sessions, clock, events, moduleData);
    }

    /** Where mail goes: the outbox, unless a test puts another mailer in its place. */
    public volatile Mailer mailer = outbox;

    /** The code of the newest mail to {@code address}. */
    public String lastCodeTo(String address) {
        var sent = outbox.sent();
        for (int i = sent.size() - 1; i >= 0; i--) {
            if (sent.get(i).to().equals(address)) {
                var matcher = java.util.regex.Pattern.compile("\\b(\\d{8})\\b").matcher(sent.get(i).text());
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
        throw new AssertionError("no mail with a code to " + address);
    }

    public TokenPair register(String name) {
        return registration.register(name, PASSWORD, CALLER);
    }

    public LoginService.LoginResult login(String name, String password) {
        return login.login(name, password, null, CALLER);
    }
}
