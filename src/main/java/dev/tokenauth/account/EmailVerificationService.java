package dev.tokenauth.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.audit.SecurityEvents;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.mail.MailNotSentException;
import dev.tokenauth.mail.MailTemplates;
import dev.tokenauth.mail.Mailer;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.ConflictRetry;
import dev.tokenauth.user.EmailAddress;
import dev.tokenauth.user.EmailRules;
import dev.tokenauth.user.EmailStore.Claim;
import dev.tokenauth.user.EmailStore.Purpose;
import dev.tokenauth.user.EmailStore.StoredCode;
import dev.tokenauth.user.EmailStore;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserRepository;

/**
 * A user's address: claimed at registration or by {@code setEmail}, confirmed by the code mailed to
 * it. An address is claimed (a write that only succeeds if nobody holds it) before the user's item
 * gets it, and released after the item lets it go: of two accounts after one address, exactly one
 * claim succeeds. A claim whose owner never came to hold the address (a request that ended between
 * the two writes) is taken over once it is older than {@link #CLAIM_GRACE}, longer than any request
 * can run, by a write conditional on that very claim.
 */
public final class EmailVerificationService {

    /** Beyond the function's timeout: a claim this old whose owner lacks the address is left over. */
    static final Duration CLAIM_GRACE = Duration.ofMinutes(5);

    private final UserRepository users;
    private final EmailStore store;
    private final EmailCodes codes;
    private final MailThrottle throttle;
    private final CodeMail codeMail;
    private final CurrentPassword current;
    private final Clock clock;
    private final SecurityEvents events;

    public EmailVerificationService(UserRepository users, EmailStore store, EmailCodes codes, MailThrottle throttle,
                                    Mailer mailer, MailTemplates templates, PasswordHasher hasher, LoginThrottle loginThrottle,
                                    SessionService sessions, Clock clock, SecurityEvents events) {
        this.users = users;
        this.store = store;
        this.codes = codes;
        this.throttle = throttle;
        this.codeMail = new CodeMail(store, codes, mailer, templates);
        this.current = new CurrentPassword(users, hasher, loginThrottle, sessions, clock, events);
        this.clock = clock;
        this.events = events;
    }

    /** The normalised address, or BAD_USER_INPUT. */
    static String normalised(String email) {
        return EmailRules.normalised(email).orElseThrow(() -> ApiError.badUserInput("Email must be " + EmailRules.RULE));
    }

    /**
     * Before a new account is stored with {@code address}: counts the mail it will get and claims
     * the address for it (EMAIL_TAKEN when another account holds it).
     */
    void claimForRegistration(User user, String address, Caller caller) {
        Instant now = now();
        throttle.count(address, caller.sourceIp(), now);
        claim(address, user, now);
    }

    /** When the account claimed for could not be stored: the address is free again. */
    void releaseClaim(String address, User user) {
        store.release(address, user.userId());
    }

    /**
     * After a new account with an address was stored: mails the code. A mail the service refused
     * does not undo the account; the address stays unverified, with no usable code, and
     * {@code setEmail} with the same address sends a new one.
     */
    void sendAfterRegistration(User user, Caller caller) {
        try {
            send(user, user.email().address(), caller);
        } catch (MailNotSentException e) {
            // logged by CodeMail; the account stands
        }
    }

    /**
     * Sets or replaces the caller's address ({@code live}: the caller's user as the request read
     * it), once the password is checked on the session's own budget, as for the other checks of
     * the caller's own password, and mails a code to it; the address is unverified until the code
     * comes back. The same address again, unverified, gets a new code; verified, nothing.
     */
    public boolean setEmail(User live, Principal principal, String email, String password, Caller caller) {
        User checked = current.check(live, principal, password, caller);
        String address = normalised(email);
        Instant now = now();
        EmailAddress had = checked.email();
        if (had != null && had.address().equals(address) && had.verified()) {
            return true;
        }
        throttle.count(address, caller.sourceIp(), now);
        User changed = checked;
        if (had == null || !had.address().equals(address)) {
            claim(address, checked, now);
            changed = moveTo(checked, address);
        }
        try {
            send(changed, address, caller);
        } catch (MailNotSentException e) {
            throw mailNotSent();
        }
        return true;
    }

    /** Confirms the caller's address with the code mailed to it; INVALID_CODE otherwise. */
    public boolean verifyEmail(User live, String code, Caller caller) {
        EmailAddress email = live.email();
        if (email == null || !EmailCodes.wellFormed(code)) {
            throw invalidCode();
        }
        Instant now = now();
        // A try is counted before the code is compared: no more than MAX_TRIES guesses are ever compared.
        StoredCode counted = store.countTry(live, Purpose.VERIFY, email.address(), now, EmailCodes.MAX_TRIES)
                .orElseThrow(EmailVerificationService::invalidCode);
        if (!EmailCodes.sameHash(counted.hash(), codes.hash(Purpose.VERIFY, live.userId(), email.address(), code))
                || !store.markVerified(live, counted, now, EmailCodes.MAX_TRIES)) {
            throw invalidCode();
        }
        events.record(SecurityEvent.ofAddress(SecurityEvent.Type.EMAIL_VERIFIED, caller, live.userId(),
                email.address(), null));
        return true;
    }

    /** Claims {@code address} for {@code user}, taking over a left-over claim; EMAIL_TAKEN when another account holds it. */
    private void claim(String address, User user, Instant now) {
        Claim wanted = new Claim(address, user.userId(), user.username(), now);
        var replacing = new AtomicReference<Optional<Claim>>(Optional.empty());
        ConflictRetry.untilWritten(() -> {
            if (store.claim(wanted, replacing.get())) {
                return ConflictRetry.Attempt.done(true);
            }
            // Only the input of the next conditional write, never a decision of its own.
            Optional<Claim> holder = store.findClaim(address);
            if (holder.isEmpty()) {
                replacing.set(Optional.empty());
                return ConflictRetry.Attempt.conflict();
            }
            if (holder.get().ownerId().equals(user.userId())) {
                return ConflictRetry.Attempt.done(true);
            }
            if (isLeftOver(holder.get(), now)) {
                replacing.set(holder);
                return ConflictRetry.Attempt.conflict();
            }
            throw ApiError.of(RecoveryError.EMAIL_TAKEN, "That e-mail address belongs to another account");
        });
    }

    private boolean isLeftOver(Claim claim, Instant now) {
        if (claim.claimedAt().plus(CLAIM_GRACE).isAfter(now)) {
            return false;
        }
        return users.findByUsername(claim.owner())
                .filter(owner -> owner.userId().equals(claim.ownerId()) && owner.email() != null
                        && owner.email().address().equals(claim.address()))
                .isEmpty();
    }

    /** Gives the claimed {@code address} to the user's item, then releases the address it replaced. */
    private User moveTo(User checked, String address) {
        var basis = new User[] {checked};
        String[] replaced = new String[1];
        try {
            ConflictRetry.untilWritten(() -> {
                User user = basis[0];
                String previous = user.email() == null ? null : user.email().address();
                if (store.setAddress(user, previous, address)) {
                    replaced[0] = previous;
                    return ConflictRetry.Attempt.done(true);
                }
                basis[0] = users.findByUsername(checked.username())
                        .filter(found -> found.userId().equals(checked.userId()))
                        .orElseThrow(ApiError::unauthenticated);
                return ConflictRetry.Attempt.conflict();
            });
        } catch (RuntimeException e) {
            store.release(address, checked.userId());
            throw e;
        }
        if (replaced[0] != null && !replaced[0].equals(address)) {
            store.release(replaced[0], checked.userId());
        }
        return basis[0].withUnverifiedEmail(address);
    }

    private void send(User user, String address, Caller caller) {
        if (codeMail.send(user, Purpose.VERIFY, address, now())) {
            events.record(SecurityEvent.ofAddress(SecurityEvent.Type.EMAIL_VERIFICATION_SENT, caller, user.userId(),
                    address, null));
        }
    }

    static ApiError invalidCode() {
        return ApiError.of(RecoveryError.INVALID_CODE, "The code is wrong or no longer valid: ask for a new one");
    }

    static ApiError mailNotSent() {
        return ApiError.of(RecoveryError.MAIL_NOT_SENT, "The mail could not be sent: try again later");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
