package dev.tokenauth.account;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static dev.tokenauth.memory.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.HoldingUsers;
import dev.tokenauth.memory.InterleavedUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * A password change (and an account deletion) racing other writes of the same user: logins that
 * keep adding sessions can neither block it nor survive it; only a change of the password itself
 * between the check and the write is a reason to check again.
 */
class PasswordChangeRaceTest {

    private static final String NEW_PASSWORD = "a much better passphrase";
    /** The deployed session limit: five logins between each try and its write evict nobody. */
    private static final SessionService.Policy TEN_SESSIONS =
            new SessionService.Policy(10, TestAccounts.SESSIONS.refreshGrace(), TestAccounts.SESSIONS.maxLifetime());
    private static final int RACING_LOGINS = 20;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void shouldChangeThePasswordThoughLoginsEvictedTheCallersSessionBetweenItsCheckAndItsWrite() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        Principal owner = principal(accounts, accounts.register("ada"));

        Future<TokenPair> change = heldAtItsWrite(users,
                () -> accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, NEW_PASSWORD, CALLER));
        List<Principal> logins = logins(accounts, TestAccounts.SESSIONS.maxSessions());
        assertThat(accounts.sessions.liveUser(owner)).as("the owner's session, evicted").isEmpty();
        users.release();

        Principal changed = principal(accounts, change.get(30, TimeUnit.SECONDS));
        assertOnlyTheChangedSessionLives(accounts, changed, logins);
    }

    @Test
    void shouldChangeThePasswordThoughALoginCommitsBeforeEachOfItsWrites() throws Exception {
        var users = new InterleavedUsers();
        var accounts = new TestAccounts(users, 4, TEN_SESSIONS);
        Principal owner = principal(accounts, accounts.register("ada"));
        List<Principal> logins = new ArrayList<>();
        users.beforeEachWriteOf(Thread.currentThread(), () -> {
            if (logins.size() < RACING_LOGINS) {
                logins.add(principal(accounts, accounts.login("ada", PASSWORD).tokens()));
            }
        });

        Principal changed = principal(accounts, accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, NEW_PASSWORD, CALLER));

        assertThat(logins).as("logins that committed between the check and a write").isNotEmpty();
        assertOnlyTheChangedSessionLives(accounts, changed, logins);
    }

    @Test
    void shouldChangeThePasswordWhileTwentyLoginsCommitBetweenItsCheckAndItsWrite() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TEN_SESSIONS);
        Principal owner = principal(accounts, accounts.register("ada"));

        Future<TokenPair> change = heldAtItsWrite(users,
                () -> accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, NEW_PASSWORD, CALLER));
        List<Principal> logins = logins(accounts, RACING_LOGINS);
        users.release();

        Principal changed = principal(accounts, change.get(30, TimeUnit.SECONDS));
        assertOnlyTheChangedSessionLives(accounts, changed, logins);
    }

    @Test
    void shouldCheckAgainAndChangeWhenALoginUpgradedTheHashOfTheSamePasswordMeanwhile() throws Exception {
        var users = new HoldingUsers();
        // The configured cost is 10; the stored hash was made at 4, so a login replaces it.
        var accounts = new TestAccounts(users, 10, TEN_SESSIONS);
        var session = accounts.sessions.open(CALLER);
        User legacy = accounts.sessions.adding(new User("legacy-id", "ada", new BCryptPasswordEncoder(4).encode(PASSWORD),
                0, Map.of(), Instant.now(), 0), session);
        users.create(legacy);
        Principal owner = legacy.principal(session);

        Future<TokenPair> change = heldAtItsWrite(users,
                () -> accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, NEW_PASSWORD, CALLER));
        Principal login = principal(accounts, accounts.login("ada", PASSWORD).tokens());
        assertThat(users.findByUsername("ada").orElseThrow().passwordHash()).isNotEqualTo(legacy.passwordHash());
        users.release();

        Principal changed = principal(accounts, change.get(30, TimeUnit.SECONDS));
        assertOnlyTheChangedSessionLives(accounts, changed, List.of(login));
    }

    @Test
    void shouldRefuseAChangeWhosePasswordAnotherChangeReplacedBetweenItsCheckAndItsWrite() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TEN_SESSIONS);
        Principal laptop = principal(accounts, accounts.register("ada"));
        Principal phone = principal(accounts, accounts.login("ada", PASSWORD).tokens());

        Future<TokenPair> change = heldAtItsWrite(users,
                () -> accounts.passwords.changePassword(accounts.sessions.currentUser(laptop), laptop, PASSWORD, "the laptop's new passphrase", CALLER));
        accounts.passwords.changePassword(accounts.sessions.currentUser(phone), phone, PASSWORD, NEW_PASSWORD, CALLER);
        users.release();

        var failure = catchThrowableOfType(ExecutionException.class, () -> change.get(30, TimeUnit.SECONDS));
        assertThat(failure.getCause()).isInstanceOf(ApiError.class);
        assertThat(((ApiError) failure.getCause()).code()).isEqualTo(ErrorType.INVALID_CREDENTIALS);
        User stored = users.findByUsername("ada").orElseThrow();
        assertThat(accounts.hasher.matches(NEW_PASSWORD, stored.passwordHash())).isTrue();
    }

    @Test
    void shouldDeleteTheAccountThoughLoginsEvictedTheCallersSessionBetweenItsCheckAndItsWrite() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        Principal owner = principal(accounts, accounts.register("ada"));

        Future<Boolean> deletion = heldAtItsWrite(users, () -> accounts.deletion.deleteAccount(accounts.sessions.currentUser(owner), owner, PASSWORD, CALLER));
        List<Principal> logins = logins(accounts, TestAccounts.SESSIONS.maxSessions());
        assertThat(accounts.sessions.liveUser(owner)).as("the owner's session, evicted").isEmpty();
        users.release();

        assertThat(deletion.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(users.findByUsername("ada")).isEmpty();
        logins.forEach(login -> assertThat(accounts.sessions.liveUser(login)).isEmpty());
    }

    @Test
    void shouldDeleteTheAccountThoughALoginCommitsBeforeEachOfItsWrites() {
        var users = new InterleavedUsers();
        var accounts = new TestAccounts(users, 4, TEN_SESSIONS);
        Principal owner = principal(accounts, accounts.register("ada"));
        List<Principal> logins = new ArrayList<>();
        users.beforeEachWriteOf(Thread.currentThread(), () -> {
            if (logins.size() < RACING_LOGINS) {
                logins.add(principal(accounts, accounts.login("ada", PASSWORD).tokens()));
            }
        });

        assertThat(accounts.deletion.deleteAccount(accounts.sessions.currentUser(owner), owner, PASSWORD, CALLER)).isTrue();

        assertThat(logins).isNotEmpty();
        assertThat(users.findByUsername("ada")).isEmpty();
    }

    /**
     * The stored password is the new one, the change's session the only one left, and every
     * session obtained with the old password dead, though the logins committed first.
     */
    private static void assertOnlyTheChangedSessionLives(TestAccounts accounts, Principal changed, List<Principal> logins) {
        User stored = accounts.users.findByUsername("ada").orElseThrow();
        assertThat(accounts.hasher.matches(NEW_PASSWORD, stored.passwordHash())).isTrue();
        assertThat(accounts.hasher.matches(PASSWORD, stored.passwordHash())).isFalse();
        assertThat(stored.sessions().keySet()).containsExactly(changed.sessionId());
        assertThat(accounts.sessions.liveUser(changed)).isPresent();
        for (Principal login : logins) {
            assertThat(accounts.sessions.liveUser(login)).as("a session obtained with the old password").isEmpty();
        }
        var refused = catchThrowableOfType(ApiError.class, () -> accounts.login("ada", PASSWORD));
        assertThat(refused.code()).isEqualTo(ErrorType.INVALID_CREDENTIALS);
    }

    /** Runs {@code operation} on a thread of its own up to its first write, where it waits for {@code release()}. */
    private <T> Future<T> heldAtItsWrite(HoldingUsers users, Callable<T> operation) throws InterruptedException {
        Future<T> held = pool.submit(() -> {
            users.holdNextWriteOf(Thread.currentThread());
            return operation.call();
        });
        users.awaitHeld();
        return held;
    }

    /** {@code count} logins, each a second after the one before: each newer than the owner's session. */
    private static List<Principal> logins(TestAccounts accounts, int count) {
        List<Principal> logins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            accounts.clock.advance(Duration.ofSeconds(1));
            logins.add(principal(accounts, accounts.login("ada", PASSWORD).tokens()));
        }
        return logins;
    }

    private static Principal principal(TestAccounts accounts, TokenPair pair) {
        return accounts.tokens.verifyAccess(pair.accessToken()).orElseThrow();
    }
}
