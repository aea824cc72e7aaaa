package dev.tokenauth.account;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static dev.tokenauth.memory.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorCode;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;

/** Which failure budget each password check spends, and when a device stops having one. */
class PasswordCheckBudgetsTest {

    private static final int FREE = LoginBackoff.DEFAULT.freeAttempts();

    private final TestAccounts accounts = new TestAccounts();

    @Test
    void shouldCheckALoggedInSessionsOwnPasswordOnItsOwnBudgetWhileStrangersHaveLockedTheName() {
        Principal owner = principal(accounts.register("ada"));
        lockTheName();

        TokenPair changed = accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, "a new password entirely", CALLER);
        lockTheName();
        assertThat(accounts.deletion.deleteAccount(accounts.sessions.currentUser(principal(changed)), principal(changed), "a new password entirely", CALLER)).isTrue();
    }

    @Test
    void shouldLockOnlyTheSessionThatSpentItsBudgetOnWrongPasswords() {
        Principal owner = principal(accounts.register("ada"));
        Principal stolen = principal(accounts.login("ada", PASSWORD).tokens());
        for (int i = 0; i < FREE; i++) {
            String guess = "a thief's guess " + i;
            assertThat(code(() -> accounts.deletion.deleteAccount(accounts.sessions.currentUser(stolen), stolen, guess, CALLER)))
                    .isEqualTo(ErrorType.INVALID_CREDENTIALS);
        }
        assertThat(code(() -> accounts.deletion.deleteAccount(accounts.sessions.currentUser(stolen), stolen, PASSWORD, CALLER)))
                .isEqualTo(ErrorType.LOGIN_THROTTLED);
        assertThat(accounts.counters.stored).containsKey(LoginThrottle.Budget.ofSession(stolen.sessionId()).key())
                .doesNotContainKey(LoginThrottle.Budget.ofName("ada").key());

        assertThat(accounts.login("ada", PASSWORD).tokens()).isNotNull();
        assertThat(accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, "a new password entirely", CALLER)).isNotNull();
    }

    @Test
    void shouldCountLoginsWithANameNoAccountCanHaveAndLockThem() {
        for (int i = 0; i < FREE; i++) {
            String guess = "a guess at it " + i;
            assertThat(code(() -> accounts.login("not a name!", guess))).isEqualTo(ErrorType.INVALID_CREDENTIALS);
        }
        assertThat(code(() -> accounts.login("not a name!", PASSWORD))).isEqualTo(ErrorType.LOGIN_THROTTLED);
        assertThat(code(() -> accounts.login("not a name either!", PASSWORD))).isEqualTo(ErrorType.INVALID_CREDENTIALS);
    }

    @Test
    void shouldRecordFailedLoginsWithoutAUserIdWhetherOrNotTheNameExists() {
        accounts.register("ada");
        accounts.events.events.clear();
        code(() -> accounts.login("ada", "a wrong password"));
        code(() -> accounts.login("nobody", "a wrong password"));
        for (int i = 0; i < FREE; i++) {
            code(() -> accounts.login("ada", "another wrong password"));
        }
        assertThat(accounts.events.events).isNotEmpty().allSatisfy(event -> {
            assertThat(event.type()).isIn(SecurityEvent.Type.LOGIN_FAILED, SecurityEvent.Type.LOGIN_THROTTLED);
            assertThat(event.userId()).isNull();
        });
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.LOGIN_THROTTLED);
    }

    @Test
    void shouldStopTrustingEveryDeviceWhenThePasswordChanges() {
        Principal owner = principal(accounts.register("ada"));
        String device = accounts.login("ada", PASSWORD).deviceToken();
        accounts.passwords.changePassword(accounts.sessions.currentUser(owner), owner, PASSWORD, "a new password entirely", CALLER);
        lockTheName();

        assertThat(code(() -> accounts.login.login("ada", "a new password entirely", device, CALLER)))
                .isEqualTo(ErrorType.LOGIN_THROTTLED);
        assertThat(accounts.users.findByUsername("ada").orElseThrow().devices()).isEmpty();
    }

    @Test
    void shouldStopTrustingEveryDeviceWhenEverySessionEnds() {
        Principal owner = principal(accounts.register("ada"));
        String device = accounts.login("ada", PASSWORD).deviceToken();
        accounts.sessions.logoutEverywhere(accounts.sessions.currentUser(owner), owner, CALLER);
        lockTheName();

        assertThat(code(() -> accounts.login.login("ada", PASSWORD, device, CALLER))).isEqualTo(ErrorType.LOGIN_THROTTLED);
        assertThat(accounts.users.findByUsername("ada").orElseThrow().devices()).isEmpty();
    }

    private void lockTheName() {
        for (int i = 0; i < FREE; i++) {
            String guess = "a stranger's guess " + i;
            code(() -> accounts.login("ada", guess));
        }
        assertThat(code(() -> accounts.login("ada", PASSWORD))).isEqualTo(ErrorType.LOGIN_THROTTLED);
    }

    private Principal principal(TokenPair pair) {
        return accounts.tokens.verifyAccess(pair.accessToken()).orElseThrow();
    }

    private static ErrorCode code(Runnable action) {
        var failure = catchThrowableOfType(ApiError.class, action::run);
        return failure == null ? null : failure.code();
    }
}
