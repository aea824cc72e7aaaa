package dev.tokenauth.account;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static dev.tokenauth.memory.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorCode;
import dev.tokenauth.mail.MailNotSentException;
import dev.tokenauth.memory.InMemoryUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.EmailStore.Purpose;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordResetServiceTest {

    private static final String ADDRESS = "ada@example.org";
    private static final String NEW_PASSWORD = "a much better passphrase";

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Users whose reads are counted, and that can hold one thread at its second write. */
    static final class CountingUsers extends InMemoryUsers {
        final AtomicInteger reads = new AtomicInteger();
        private volatile Thread held;
        private int writesOfHeld;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Optional<User> findByUsername(String username) {
            reads.incrementAndGet();
            return super.findByUsername(username);
        }

        void holdSecondWriteOf(Thread thread) {
            held = thread;
        }

        @Override
        protected void beforeWrite() {
            if (Thread.currentThread() == held && ++writesOfHeld == 2) {
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Principal registerVerified(TestAccounts accounts, String name, String address) {
        var tokens = accounts.registration.register(name, PASSWORD, address, CALLER);
        accounts.verification.verifyEmail(accounts.users.findByUsername(name).orElseThrow(),
                accounts.lastCodeTo(address), CALLER);
        return accounts.tokens.verifyAccess(tokens.accessToken()).orElseThrow();
    }

    private static ErrorCode codeOf(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
        return ((ApiError) cause).code();
    }

    @Test
    void shouldResetWithTheMailedCodeEndingEverySessionAndEveryTrustedDevice() {
        var accounts = new TestAccounts();
        registerVerified(accounts, "ada", ADDRESS);
        var login = accounts.login("ada", PASSWORD);
        var refresh = accounts.tokens.verifyRefresh(login.tokens().refreshToken()).orElseThrow();
        assertThat(accounts.users.findByUsername("ada").orElseThrow().devices()).isNotEmpty();

        assertThat(accounts.resets.requestPasswordReset("ada@EXAMPLE.org", CALLER)).isTrue();
        String code = accounts.lastCodeTo(ADDRESS);
        assertThat(accounts.outbox.sent().get(accounts.outbox.sent().size() - 1).subject())
                .isEqualTo("Your code to choose a new password");
        assertThat(accounts.resets.resetPassword(ADDRESS, code, NEW_PASSWORD, CALLER)).isTrue();

        User stored = accounts.users.findByUsername("ada").orElseThrow();
        assertThat(stored.sessions()).isEmpty();
        assertThat(stored.devices()).isEmpty();
        assertThat(accounts.sessions.refresh(refresh, CALLER)).isEmpty();
        assertThat(accounts.sessions.liveUser(accounts.tokens.verifyAccess(login.tokens().accessToken()).orElseThrow()))
                .isEmpty();
        assertThat(accounts.login("ada", NEW_PASSWORD).tokens()).isNotNull();
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.PASSWORD_RESET_REQUESTED,
                SecurityEvent.Type.PASSWORD_RESET_COMPLETED);
        // Single use.
        assertThatThrownBy(() -> accounts.resets.resetPassword(ADDRESS, code, "yet another passphrase", CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
    }

    @Test
    void shouldDoTheSameWorkAndAnswerAtTheSameTimeForKnownUnknownAndUnverifiedAddresses() {
        var users = new CountingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        registerVerified(accounts, "ada", ADDRESS);
        accounts.registration.register("bob", PASSWORD, "bob@example.org", CALLER);
        int mailsBefore = accounts.outbox.sent().size();

        List<Integer> reads = new java.util.ArrayList<>();
        for (String address : List.of(ADDRESS, "nobody@example.org", "bob@example.org")) {
            int before = users.reads.get();
            assertThat(accounts.resets.requestPasswordReset(address, CALLER)).isTrue();
            reads.add(users.reads.get() - before);
        }

        assertThat(reads).containsExactly(1, 1, 1);
        // The clock stands still while the work runs here: each answer waited for the whole floor.
        assertThat(accounts.floorWaits).containsExactly(TestAccounts.RESET_FLOOR, TestAccounts.RESET_FLOOR,
                TestAccounts.RESET_FLOOR);
        // A code only to the verified address.
        assertThat(accounts.outbox.sent()).hasSize(mailsBefore + 1);
        assertThat(accounts.outbox.sent().get(mailsBefore).to()).isEqualTo(ADDRESS);
    }

    @Test
    void shouldFailAResetForAnUnknownOrUnverifiedAddressLikeAWrongCode() {
        var accounts = new TestAccounts();
        registerVerified(accounts, "ada", ADDRESS);
        accounts.registration.register("bob", PASSWORD, "bob@example.org", CALLER);
        accounts.resets.requestPasswordReset(ADDRESS, CALLER);

        for (String address : List.of(ADDRESS, "nobody@example.org", "bob@example.org")) {
            assertThatThrownBy(() -> accounts.resets.resetPassword(address, "12345678", NEW_PASSWORD, CALLER))
                    .isInstanceOfSatisfying(ApiError.class, e -> {
                        assertThat(e.code()).isEqualTo(RecoveryError.INVALID_CODE);
                        assertThat(e.getMessage()).isEqualTo(EmailVerificationService.invalidCode().getMessage());
                    });
        }
    }

    @Test
    void shouldKillAResetCodeAfterFiveWrongTriesAndAfterFifteenMinutes() {
        var accounts = new TestAccounts();
        registerVerified(accounts, "ada", ADDRESS);
        accounts.resets.requestPasswordReset(ADDRESS, CALLER);
        String code = accounts.lastCodeTo(ADDRESS);
        String wrong = code.equals("00000000") ? "11111111" : "00000000";
        for (int i = 0; i < EmailCodes.MAX_TRIES; i++) {
            assertThatThrownBy(() -> accounts.resets.resetPassword(ADDRESS, wrong, NEW_PASSWORD, CALLER))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
        }
        assertThatThrownBy(() -> accounts.resets.resetPassword(ADDRESS, code, NEW_PASSWORD, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));

        accounts.resets.requestPasswordReset(ADDRESS, CALLER);
        accounts.clock.advance(Duration.ofMinutes(15));
        assertThatThrownBy(() -> accounts.resets.resetPassword(ADDRESS, accounts.lastCodeTo(ADDRESS), NEW_PASSWORD, CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
        assertThat(accounts.hasher.matches(PASSWORD, accounts.users.findByUsername("ada").orElseThrow().passwordHash()))
                .isTrue();
    }

    @Test
    void shouldEndTheOldCodeWithEachNewRequest() {
        var accounts = new TestAccounts();
        registerVerified(accounts, "ada", ADDRESS);
        accounts.resets.requestPasswordReset(ADDRESS, CALLER);
        String first = accounts.lastCodeTo(ADDRESS);
        accounts.resets.requestPasswordReset(ADDRESS, CALLER);
        String second = accounts.lastCodeTo(ADDRESS);

        if (!first.equals(second)) {
            assertThatThrownBy(() -> accounts.resets.resetPassword(ADDRESS, first, NEW_PASSWORD, CALLER))
                    .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
        }
        assertThat(accounts.resets.resetPassword(ADDRESS, second, NEW_PASSWORD, CALLER)).isTrue();
    }

    @Test
    void shouldVoidTheCodeAndAnswerTheSameWhenTheMailIsNotSent() {
        var accounts = new TestAccounts();
        registerVerified(accounts, "ada", ADDRESS);
        accounts.mailer = mail -> {
            throw new MailNotSentException(MailNotSentException.Reason.THROTTLED, "throttled", null);
        };

        assertThat(accounts.resets.requestPasswordReset(ADDRESS, CALLER)).isTrue();

        String userId = accounts.users.findByUsername("ada").orElseThrow().userId();
        assertThat(accounts.emails.code(userId, Purpose.RESET)).isEmpty();
    }

    @Test
    void shouldThrottleRequestsForOneAddressWhetherOrNotItHasAnAccount() {
        var accounts = new TestAccounts();
        for (int i = 0; i < 5; i++) {
            accounts.resets.requestPasswordReset("nobody@example.org", CALLER);
        }

        assertThatThrownBy(() -> accounts.resets.requestPasswordReset("nobody@example.org", CALLER))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.MAIL_THROTTLED));
    }

    @Test
    void shouldLetOnlyOneOfTwoResetsWithOneCodeSucceedWhenOneIsHeldBeforeItsWrite() throws Exception {
        var users = new CountingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        registerVerified(accounts, "ada", ADDRESS);
        accounts.resets.requestPasswordReset(ADDRESS, CALLER);
        String code = accounts.lastCodeTo(ADDRESS);

        // Held after counting its try and comparing the code: at the write that uses it.
        var held = pool.submit(() -> {
            users.holdSecondWriteOf(Thread.currentThread());
            return accounts.resets.resetPassword(ADDRESS, code, "the held request's password", CALLER);
        });
        assertThat(users.reached.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(accounts.resets.resetPassword(ADDRESS, code, NEW_PASSWORD, CALLER)).isTrue();
        users.release.countDown();

        assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS))
                .satisfies(e -> assertThat(codeOf(e)).isEqualTo(RecoveryError.INVALID_CODE));
        assertThat(accounts.hasher.matches(NEW_PASSWORD, accounts.users.findByUsername("ada").orElseThrow().passwordHash()))
                .isTrue();
        assertThat(accounts.events.types()).containsOnlyOnce(SecurityEvent.Type.PASSWORD_RESET_COMPLETED);
    }
}
