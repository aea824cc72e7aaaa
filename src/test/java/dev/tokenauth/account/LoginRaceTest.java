package dev.tokenauth.account;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static dev.tokenauth.memory.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorCode;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.HoldingUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The races of a login with a password change: the login is held between its password check and
 * its session write while the change commits.
 */
class LoginRaceTest {

    private static final String NEW_PASSWORD = "a much better passphrase";

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void shouldFailALoginThatCheckedThePasswordAPasswordChangeThenReplaced() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        var owner = principalOf(accounts, accounts.register("ada"));

        Outcome login = loginHeldWhile(accounts, users, () ->
                accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, NEW_PASSWORD, CALLER));

        assertThat(login.failure()).isInstanceOf(ApiError.class);
        assertThat(((ApiError) login.failure()).code()).isEqualTo(ErrorType.INVALID_CREDENTIALS);
        User stored = users.findByUsername("ada").orElseThrow();
        assertThat(stored.sessions()).hasSize(1);
        assertThat(accounts.hasher.matches(NEW_PASSWORD, stored.passwordHash())).isTrue();
    }

    @Test
    void shouldNotLetTheUpgradeOfALoginWriteTheOldPasswordOverANewOne() throws Exception {
        var users = new HoldingUsers();
        // The configured cost is 10; the stored hash was made at 4, so the login upgrades it.
        var accounts = new TestAccounts(users, 10, TestAccounts.SESSIONS);
        var session = accounts.sessions.open(CALLER);
        User legacy = accounts.sessions.adding(new User("legacy-id", "ada", new BCryptPasswordEncoder(4).encode(PASSWORD),
                0, Map.of(), Instant.now(), 0), session);
        users.create(legacy);
        Principal owner = legacy.principal(session);

        Outcome login = loginHeldWhile(accounts, users, () ->
                accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, NEW_PASSWORD, CALLER));

        assertThat(login.failure()).isInstanceOf(ApiError.class);
        User stored = users.findByUsername("ada").orElseThrow();
        assertThat(accounts.hasher.matches(NEW_PASSWORD, stored.passwordHash())).isTrue();
        assertThat(accounts.hasher.matches(PASSWORD, stored.passwordHash())).isFalse();
        assertThat(stored.sessions()).hasSize(1);
    }

    @Test
    void shouldStillLogInWhenWhatChangedMeanwhileWasNotThePassword() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        var phone = principalOf(accounts, accounts.register("ada"));

        Outcome login = loginHeldWhile(accounts, users, () -> accounts.sessions.logout(accounts.sessions.currentUser(phone), phone, CALLER));

        assertThat(login.failure()).isNull();
        assertThat(users.findByUsername("ada").orElseThrow().sessions()).hasSize(1);
    }

    @Test
    void shouldCountOldPasswordChecksBeforeCheckingThem() throws Exception {
        var accounts = new TestAccounts();
        var owner = principalOf(accounts, accounts.register("ada"));
        var start = new CountDownLatch(1);
        List<Future<ErrorCode>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(pool.submit(() -> {
                start.await();
                try {
                    accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, "wrong password", NEW_PASSWORD, CALLER);
                    return null;
                } catch (ApiError e) {
                    return e.code();
                }
            }));
        }
        start.countDown();
        int checked = 0;
        for (var attempt : attempts) {
            checked += attempt.get() == ErrorType.INVALID_CREDENTIALS ? 1 : 0;
        }
        assertThat(checked).isEqualTo(LoginBackoff.DEFAULT.freeAttempts());
    }

    private record Outcome(Throwable failure) {
    }

    /** Runs a login of ada up to its session write, runs {@code meanwhile}, then lets the login write. */
    private Outcome loginHeldWhile(TestAccounts accounts, HoldingUsers users, Runnable meanwhile) throws Exception {
        var thread = new CompletableFuture<Thread>();
        Future<Outcome> login = pool.submit(() -> {
            users.holdNextWriteOf(Thread.currentThread());
            thread.complete(Thread.currentThread());
            try {
                accounts.login("ada", PASSWORD);
                return new Outcome(null);
            } catch (RuntimeException e) {
                return new Outcome(e);
            }
        });
        thread.get(30, TimeUnit.SECONDS);
        users.awaitHeld();
        meanwhile.run();
        users.release();
        return login.get(30, TimeUnit.SECONDS);
    }

    private static Principal principalOf(TestAccounts accounts, dev.tokenauth.token.TokenPair pair) {
        return accounts.tokens.verifyAccess(pair.accessToken()).orElseThrow();
    }
}
