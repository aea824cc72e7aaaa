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
import dev.tokenauth.user.User;
import org.junit.jupiter.api.Test;

class LoginServiceTest {

    private final TestAccounts accounts = new TestAccounts();

    @Test
    void shouldLetTheOwnerInWithTheDeviceTokenOfAnEarlierLoginWhileStrangersHaveLockedTheName() {
        accounts.register("ada");
        String deviceToken = accounts.login("ada", PASSWORD).deviceToken();

        for (int i = 0; i < 16; i++) {
            try {
                accounts.login("ada", "a stranger's guess " + i);
            } catch (ApiError expected) {
                // wrong or throttled: either way the name's budget is spent
            }
        }
        assertThat(code(() -> accounts.login("ada", PASSWORD))).isEqualTo(ErrorType.LOGIN_THROTTLED);

        var result = accounts.login.login("ada", PASSWORD, deviceToken, CALLER);
        assertThat(accounts.sessions.currentUser(accounts.tokens.verifyAccess(result.tokens().accessToken()).orElseThrow())
                .username()).isEqualTo("ada");
        assertThat(result.deviceToken()).isNotBlank();
    }

    @Test
    void shouldLockADeviceThatSpentItsOwnBudgetLikeAnyOtherClient() {
        accounts.register("ada");
        String deviceToken = accounts.login("ada", PASSWORD).deviceToken();
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts(); i++) {
            String guess = "wrong password " + i;
            assertThat(code(() -> accounts.login.login("ada", guess, deviceToken, CALLER)))
                    .isEqualTo(ErrorType.INVALID_CREDENTIALS);
        }
        assertThat(code(() -> accounts.login.login("ada", PASSWORD, deviceToken, CALLER)))
                .isEqualTo(ErrorType.LOGIN_THROTTLED);
        // The name's own budget was not touched.
        assertThat(accounts.login("ada", PASSWORD).tokens()).isNotNull();
    }

    @Test
    void shouldNotTrustADeviceTokenIssuedForAnotherUser() {
        accounts.register("ada");
        accounts.register("bob");
        String bobsDevice = accounts.login("bob", PASSWORD).deviceToken();
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts(); i++) {
            String guess = "a guess at it " + i;
            code(() -> accounts.login("ada", guess));
        }
        assertThat(code(() -> accounts.login.login("ada", PASSWORD, bobsDevice, CALLER)))
                .isEqualTo(ErrorType.LOGIN_THROTTLED);
    }

    @Test
    void shouldStopTrustingADeviceOnceNewerDevicesHaveTakenItsPlace() {
        accounts.register("ada");
        String oldest = accounts.login("ada", PASSWORD).deviceToken();
        String newest = null;
        for (int i = 0; i < User.MAX_DEVICES; i++) {
            newest = accounts.login("ada", PASSWORD).deviceToken();
        }
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts(); i++) {
            String guess = "a guess at it " + i;
            code(() -> accounts.login("ada", guess));
        }
        assertThat(code(() -> accounts.login.login("ada", PASSWORD, oldest, CALLER)))
                .isEqualTo(ErrorType.LOGIN_THROTTLED);
        String trusted = newest;
        assertThat(code(() -> accounts.login.login("ada", PASSWORD, trusted, CALLER))).isNull();
    }

    @Test
    void shouldRecordAThrottledAttemptAsAFailureWithItsOwnReason() {
        accounts.register("ada");
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts(); i++) {
            String guess = "wrong password " + i;
            code(() -> accounts.login("ada", guess));
        }
        accounts.events.events.clear();
        assertThat(code(() -> accounts.login("ada", PASSWORD))).isEqualTo(ErrorType.LOGIN_THROTTLED);

        assertThat(accounts.events.events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(SecurityEvent.Type.LOGIN_THROTTLED);
            assertThat(event.username()).isEqualTo("ada");
            assertThat(event.reason()).isEqualTo("too_many_failures");
        });
    }

    @Test
    void shouldRecordTheNormalisedNameOfAnAttemptWithAPasswordOutOfRange() {
        accounts.register("ada");
        accounts.events.events.clear();
        assertThat(code(() -> accounts.login("  ADA ", "short"))).isEqualTo(ErrorType.INVALID_CREDENTIALS);
        assertThat(code(() -> accounts.login("ada", "wrong password"))).isEqualTo(ErrorType.INVALID_CREDENTIALS);

        assertThat(accounts.events.events).extracting(SecurityEvent::username).containsExactly("ada", "ada");
        assertThat(accounts.events.events).extracting(SecurityEvent::reason)
                .containsExactly("invalid_credentials", "invalid_credentials");
    }

    @Test
    void shouldRecordEachOutcomeOnceWithTheAttemptedNameForFailures() {
        accounts.register("ada");
        accounts.events.events.clear();
        code(() -> accounts.login("nobody", PASSWORD));
        code(() -> accounts.login("ada", "wrong password"));
        var result = accounts.login("ada", PASSWORD);

        assertThat(accounts.events.types()).containsExactly(SecurityEvent.Type.LOGIN_FAILED,
                SecurityEvent.Type.LOGIN_FAILED, SecurityEvent.Type.LOGIN_SUCCEEDED);
        assertThat(accounts.events.events.get(0).username()).isEqualTo("nobody");
        assertThat(accounts.events.events.get(0).reason()).isEqualTo("invalid_credentials");
        assertThat(accounts.events.events.get(1).reason()).isEqualTo("invalid_credentials");
        var succeeded = accounts.events.events.get(2);
        assertThat(succeeded.sessionId())
                .isEqualTo(accounts.tokens.verifyAccess(result.tokens().accessToken()).orElseThrow().sessionId());
        assertThat(succeeded.userId()).isNotNull();
    }

    private static ErrorCode code(Runnable action) {
        var failure = catchThrowableOfType(ApiError.class, action::run);
        return failure == null ? null : failure.code();
    }
}
