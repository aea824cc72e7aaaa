package dev.tokenauth.account;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static dev.tokenauth.memory.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorCode;
import dev.tokenauth.mail.MailNotSentException;
import dev.tokenauth.memory.HoldingUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.EmailStore.Claim;
import dev.tokenauth.user.EmailStore.Purpose;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmailVerificationServiceTest {

    private static final String ADDRESS = "Ada.Lovelace@example.org";

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final TestAccounts accounts = new TestAccounts();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private Principal register(TestAccounts accounts, String name, String email) {
        var tokens = accounts.registration.register(name, PASSWORD, email, CALLER);
        return accounts.tokens.verifyAccess(tokens.accessToken()).orElseThrow();
    }

    private static User user(TestAccounts accounts, String name) {
        return accounts.users.findByUsername(name).orElseThrow();
    }

    private static ErrorCode codeOf(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.ExecutionException ? failure.getCause() : failure;
        return ((ApiError) cause).code();
    }

    @Test
    void shouldRegisterWithAnUnverifiedAddressAndVerifyItWithTheMailedCode() {
        register(accounts, "ada", " Ada.Lovelace@EXAMPLE.org ");

        assertThat(user(accounts, "ada").email().address()).isEqualTo(ADDRESS);
        assertThat(user(accounts, "ada").email().verified()).isFalse();
        var mail = accounts.outbox.sent().get(0);
        assertThat(mail.to()).isEqualTo(ADDRESS);
        assertThat(mail.html()).contains(accounts.lastCodeTo(ADDRESS));

        assertThat(accounts.verification.verifyEmail(user(accounts, "ada"), accounts.lastCodeTo(ADDRESS), CALLER)).isTrue();

        assertThat(user(accounts, "ada").email().verified()).isTrue();
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.EMAIL_VERIFICATION_SENT,
                SecurityEvent.Type.EMAIL_VERIFIED);
        // Single use.
        assertThatThrownBy(() -> accounts.verification.verifyEmail(user(accounts, "ada"), accounts.lastCodeTo(ADDRESS), CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
    }

    @Test
    void shouldTreatTheDomainCaseInsensitivelyAndTheLocalPartAsTyped() {
        register(accounts, "ada", ADDRESS);

        assertThatThrownBy(() -> register(accounts, "eve", "Ada.Lovelace@EXAMPLE.ORG"))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.EMAIL_TAKEN));
        register(accounts, "bob", "ada.lovelace@example.org");
        assertThat(accounts.users.findByUsername("eve")).isEmpty();
    }

    @Test
    void shouldKillACodeAfterFiveWrongTries() {
        register(accounts, "ada", ADDRESS);
        String code = accounts.lastCodeTo(ADDRESS);
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        for (int i = 0; i < EmailCodes.MAX_TRIES; i++) {
            assertThatThrownBy(() -> accounts.verification.verifyEmail(user(accounts, "ada"), wrong, CALLER))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
        }

        assertThatThrownBy(() -> accounts.verification.verifyEmail(user(accounts, "ada"), code, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
        assertThat(user(accounts, "ada").email().verified()).isFalse();
    }

    @Test
    void shouldRefuseACodeAfterFifteenMinutes() {
        register(accounts, "ada", ADDRESS);
        accounts.clock.advance(Duration.ofMinutes(15));

        assertThatThrownBy(() -> accounts.verification.verifyEmail(user(accounts, "ada"), accounts.lastCodeTo(ADDRESS), CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
    }

    @Test
    void shouldReplaceTheAddressReleasingTheOldOneAndKillingItsCode() {
        Principal ada = register(accounts, "ada", ADDRESS);
        String oldCode = accounts.lastCodeTo(ADDRESS);

        accounts.verification.setEmail(accounts.sessions.currentUser(ada), ada, "ada@new.example", PASSWORD, CALLER);

        assertThat(user(accounts, "ada").email().address()).isEqualTo("ada@new.example");
        assertThat(accounts.emails.findClaim(ADDRESS)).isEmpty();
        assertThatThrownBy(() -> accounts.verification.verifyEmail(user(accounts, "ada"), oldCode, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
        register(accounts, "bob", ADDRESS);
        accounts.verification.verifyEmail(user(accounts, "ada"), accounts.lastCodeTo("ada@new.example"), CALLER);
        assertThat(user(accounts, "ada").email().verified()).isTrue();
    }

    @Test
    void shouldReleaseTheAddressWithTheDeletedAccount() {
        Principal ada = register(accounts, "ada", ADDRESS);

        accounts.deletion.deleteAccount(accounts.sessions.currentUser(ada), ada, PASSWORD, CALLER);

        assertThat(accounts.emails.findClaim(ADDRESS)).isEmpty();
        register(accounts, "bob", ADDRESS);
    }

    @Test
    void shouldTakeOverALeftOverClaimOnlyAfterTheGrace() {
        // A registration that ended between its claim and its user write.
        accounts.emails.claims.put(ADDRESS, new Claim(ADDRESS, "ghost-id", "ghost", accounts.clock.instant()));

        assertThatThrownBy(() -> register(accounts, "ada", ADDRESS))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.EMAIL_TAKEN));
        accounts.clock.advance(EmailVerificationService.CLAIM_GRACE.plusSeconds(1));
        register(accounts, "bob", ADDRESS);

        assertThat(accounts.emails.findClaim(ADDRESS).orElseThrow().owner()).isEqualTo("bob");
    }

    @Test
    void shouldLeaveNoUsableCodeWhenTheMailIsNotSent() {
        Principal ada = register(accounts, "ada", null);
        accounts.mailer = mail -> {
            throw new MailNotSentException(MailNotSentException.Reason.REJECTED, "rejected", null);
        };

        assertThatThrownBy(() -> accounts.verification.setEmail(accounts.sessions.currentUser(ada), ada, ADDRESS, PASSWORD, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.MAIL_NOT_SENT));

        User stored = user(accounts, "ada");
        assertThat(stored.email().address()).isEqualTo(ADDRESS);
        assertThat(accounts.emails.code(stored.userId(), Purpose.VERIFY)).isEmpty();
        assertThat(accounts.events.types()).doesNotContain(SecurityEvent.Type.EMAIL_VERIFICATION_SENT);
    }

    @Test
    void shouldThrottleMailsToOneAddress() {
        Principal ada = register(accounts, "ada", null);
        for (int i = 0; i < 5; i++) {
            accounts.verification.setEmail(accounts.sessions.currentUser(ada), ada, ADDRESS, PASSWORD, CALLER);
        }

        assertThatThrownBy(() -> accounts.verification.setEmail(accounts.sessions.currentUser(ada), ada, ADDRESS, PASSWORD, CALLER))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(RecoveryError.MAIL_THROTTLED);
                    assertThat(e.retryAfterSeconds()).isPresent();
                });
        assertThat(accounts.outbox.sent()).hasSize(5);
    }

    @Test
    void shouldGiveAnAddressToExactlyOneOfTwoAccountsWhenOneIsHeldBeforeItsClaim() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        Principal ada = register(accounts, "ada", null);
        Principal bob = register(accounts, "bob", null);

        // Ada's request is held at its first write: the claim, the write that decides.
        var held = pool.submit(() -> {
            users.holdNextWriteOf(Thread.currentThread());
            return accounts.verification.setEmail(accounts.sessions.currentUser(ada), ada, ADDRESS, PASSWORD, CALLER);
        });
        users.awaitHeld();
        accounts.verification.setEmail(accounts.sessions.currentUser(bob), bob, ADDRESS, PASSWORD, CALLER);
        users.release();

        assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.EMAIL_TAKEN));
        assertThat(user(accounts, "ada").email()).isNull();
        assertThat(user(accounts, "bob").email().address()).isEqualTo(ADDRESS);
        assertThat(accounts.emails.findClaim(ADDRESS).orElseThrow().owner()).isEqualTo("bob");
    }
}
