package dev.tokenauth.account;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.mail.MailTemplates;
import dev.tokenauth.mail.Mailer;
import dev.tokenauth.user.EmailStore.Claim;
import dev.tokenauth.user.EmailStore.Purpose;
import dev.tokenauth.user.EmailStore.StoredCode;
import dev.tokenauth.user.EmailStore;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;

/**
 * A forgotten password: a code mailed to the account's verified address, confirmed with the new
 * password (OWASP's Forgot Password Cheat Sheet; Cognito's ForgotPassword and
 * ConfirmForgotPassword). Nothing in the answers tells whether an address has an account: a
 * request answers {@code true} in every case, after the same store reads (the claim, then the
 * owner's item or a key no user has) and no earlier than the {@link ResponseFloor}; a reset with
 * an unknown address fails like one with a wrong code. The reset itself is one write conditional on
 * the code's hash, expiry and tries: two uses of one code cannot both succeed.
 */
public final class PasswordResetService {

    /** Breaks the username rules: read in place of an owner when nobody holds the address. */
    static final String NOBODY = "~no-such-user~";

    private final UserRepository users;
    private final EmailStore store;
    private final EmailCodes codes;
    private final MailThrottle throttle;
    private final CodeMail codeMail;
    private final PasswordHasher hasher;
    private final LoginThrottle loginThrottle;
    private final ResponseFloor floor;
    private final Clock clock;
    private final SecurityEvents events;

    public PasswordResetService(UserRepository users, EmailStore store, EmailCodes codes, MailThrottle throttle,
                                Mailer mailer, MailTemplates templates, PasswordHasher hasher,
                                LoginThrottle loginThrottle, ResponseFloor floor, Clock clock, SecurityEvents events) {
        this.users = users;
        this.store = store;
        this.codes = codes;
        this.throttle = throttle;
        this.codeMail = new CodeMail(store, codes, mailer, templates);
        this.hasher = hasher;
        this.loginThrottle = loginThrottle;
        this.floor = floor;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Mails a reset code if {@code email} is an account's verified address; {@code true} either
     * way. MAIL_THROTTLED (counted per address whether or not it has an account) when too many
     * were asked for; a mail the service refused is logged, its code voided, and answered the same.
     */
    public boolean requestPasswordReset(String email, Caller caller) {
        String address = EmailVerificationService.normalised(email);
        Instant started = floor.start();
        try {
            Instant now = now();
            throttle.count(address, caller.sourceIp(), now);
            Optional<User> owner = verifiedOwner(address);
            events.record(SecurityEvent.ofAddress(SecurityEvent.Type.PASSWORD_RESET_REQUESTED, caller,
                    owner.map(User::userId).orElse(null), address, null));
            owner.ifPresent(user -> {
                try {
                    codeMail.send(user, Purpose.RESET, address, now);
                } catch (RuntimeException e) {
                    // Logged and voided by CodeMail; an unknown address gets this same answer.
                }
            });
            return true;
        } finally {
            floor.await(started);
        }
    }

    /**
     * Sets the new password with the code mailed to {@code email}: every session and every
     * device's trust ends, and the user logs in again. INVALID_CODE for a wrong, spent, expired or
     * used code, and for an address without an account or not verified.
     */
    public boolean resetPassword(String email, String code, String newPassword, Caller caller) {
        String address = EmailVerificationService.normalised(email);
        Passwords.requireAcceptable(newPassword);
        Instant started = floor.start();
        try {
            Instant now = now();
            if (!EmailCodes.wellFormed(code)) {
                throw failed(caller, null, address, "malformed_code");
            }
            User user = verifiedOwner(address).orElseThrow(() -> failed(caller, null, address, "no_account"));
            // A try is counted before the code is compared: no more than MAX_TRIES guesses are ever compared.
            StoredCode counted = store.countTry(user, Purpose.RESET, address, now, EmailCodes.MAX_TRIES)
                    .orElseThrow(() -> failed(caller, user.userId(), address, "no_live_code"));
            if (!EmailCodes.sameHash(counted.hash(), codes.hash(Purpose.RESET, user.userId(), address, code))) {
                throw failed(caller, user.userId(), address, "wrong_code");
            }
            User reset = store.resetPassword(user, counted, now, EmailCodes.MAX_TRIES, hasher.hash(newPassword))
                    .orElseThrow(() -> failed(caller, user.userId(), address, "code_used"));
            // The owner proved the address: strangers' failures no longer stand in the way of the new password.
            loginThrottle.reset(LoginThrottle.Budget.ofName(reset.username()));
            user.devices().forEach(device -> loginThrottle.reset(LoginThrottle.Budget.ofDevice(device)));
            events.record(SecurityEvent.ofAddress(SecurityEvent.Type.PASSWORD_RESET_COMPLETED, caller, reset.userId(),
                    address, null));
            return true;
        } finally {
            floor.await(started);
        }
    }

    /** The account whose verified address {@code address} is: its claim and its item agree. */
    private Optional<User> verifiedOwner(String address) {
        Optional<Claim> claim = store.findClaim(address);
        // The same two reads whether or not anybody holds the address.
        Optional<User> user = users.findByUsername(claim.map(Claim::owner).orElse(NOBODY));
        return user.filter(found -> claim.isPresent() && found.userId().equals(claim.get().ownerId())
                && found.email() != null && found.email().verified() && found.email().address().equals(address));
    }

    private ApiError failed(Caller caller, String userId, String address, String reason) {
        events.record(SecurityEvent.ofAddress(SecurityEvent.Type.PASSWORD_RESET_FAILED, caller, userId, address, reason));
        return EmailVerificationService.invalidCode();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
