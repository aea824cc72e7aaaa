package dev.tokenauth.account;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static dev.tokenauth.memory.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import org.junit.jupiter.api.Test;

class AccountDeletionServiceTest {

    private final TestAccounts accounts = new TestAccounts();

    @Test
    void shouldKeepTheAccountWhenThePasswordIsWrongAndRecordTheFailedCheck() {
        Principal ada = principal(accounts.register("ada"));
        accounts.events.events.clear();
        var failure = catchThrowableOfType(ApiError.class, () -> accounts.deletion.deleteAccount(accounts.sessions.currentUser(ada), ada, "wrong one!", CALLER));
        assertThat(failure.code()).isEqualTo(ErrorType.INVALID_CREDENTIALS);
        assertThat(accounts.users.findByUsername("ada")).isPresent();
        assertThat(accounts.events.events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(SecurityEvent.Type.LOGIN_FAILED);
            assertThat(event.userId()).isEqualTo(ada.userId());
            assertThat(event.sessionId()).isEqualTo(ada.sessionId());
            assertThat(event.username()).isEqualTo("ada");
            assertThat(event.reason()).isEqualTo("invalid_credentials");
        });
    }

    @Test
    void shouldRemoveTheUserAndItsCountersSoThatEveryTokenStopsAndTheNameIsFreeAgain() {
        Principal laptop = principal(accounts.register("ada"));
        var phone = accounts.login("ada", PASSWORD);
        catchThrowableOfType(ApiError.class, () -> accounts.login("ada", "one wrong guess"));
        catchThrowableOfType(ApiError.class,
                () -> accounts.login.login("ada", "a wrong guess from the phone", phone.deviceToken(), CALLER));
        String phoneBudget = LoginThrottle.Budget.ofDevice(
                accounts.tokens.verifyDevice(phone.deviceToken()).orElseThrow().deviceId()).key();
        assertThat(accounts.counters.stored).containsKeys(LoginThrottle.Budget.ofName("ada").key(), phoneBudget);

        assertThat(accounts.deletion.deleteAccount(accounts.sessions.currentUser(laptop), laptop, PASSWORD, CALLER)).isTrue();

        assertThat(accounts.users.findByUsername("ada")).isEmpty();
        assertThat(accounts.counters.stored).doesNotContainKeys(LoginThrottle.Budget.ofName("ada").key(), phoneBudget);
        Principal phonePrincipal = principal(phone.tokens());
        for (Principal old : new Principal[] {laptop, phonePrincipal}) {
            assertThat(catchThrowableOfType(ApiError.class, () -> accounts.sessions.currentUser(old)).code())
                    .isEqualTo(ErrorType.UNAUTHENTICATED);
        }
        assertThat(accounts.events.types()).containsOnlyOnce(SecurityEvent.Type.ACCOUNT_DELETED);

        // A new account under the name is a new user: nothing issued to the old one passes for it.
        accounts.register("ada");
        assertThat(catchThrowableOfType(ApiError.class, () -> accounts.sessions.currentUser(laptop))).isNotNull();
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts(); i++) {
            catchThrowableOfType(ApiError.class, () -> accounts.login("ada", "stranger"));
        }
        var stale = catchThrowableOfType(ApiError.class,
                () -> accounts.login.login("ada", PASSWORD, phone.deviceToken(), CALLER));
        assertThat(stale.code()).isEqualTo(ErrorType.LOGIN_THROTTLED);
    }

    @Test
    void shouldDeleteTheModulesDataFirstAndKeepTheAccountWhenThatFailsSoThatARetryFinishes() {
        Principal ada = principal(accounts.register("ada"));
        accounts.moduleData.failing = true;
        assertThat(catchThrowableOfType(IllegalStateException.class,
                () -> accounts.deletion.deleteAccount(accounts.sessions.currentUser(ada), ada, PASSWORD, CALLER))).isNotNull();
        assertThat(accounts.users.findByUsername("ada")).as("nothing half-deleted: the account stays").isPresent();
        assertThat(accounts.sessions.currentUser(ada)).isNotNull();

        accounts.moduleData.failing = false;
        assertThat(accounts.deletion.deleteAccount(accounts.sessions.currentUser(ada), ada, PASSWORD, CALLER)).isTrue();
        assertThat(accounts.moduleData.deleted).containsExactly(ada.userId());
        assertThat(accounts.users.findByUsername("ada")).isEmpty();
    }

    private Principal principal(dev.tokenauth.token.TokenPair pair) {
        return accounts.tokens.verifyAccess(pair.accessToken()).orElseThrow();
    }
}
