package dev.tokenauth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.InMemoryTotp;
import dev.tokenauth.memory.InMemoryUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.Totp;
import dev.tokenauth.user.TotpStore;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The second factor on in-memory ports and a mutable clock: setup, the login's second step, the
 * step-up, and the races each conditional write decides (reproduced by holding one request between
 * its check and its write while another runs to its end).
 */
class TotpServiceTest {

    private static final byte[] REFRESH_KEY = "refresh-key-of-thirty-two-bytes-at-least".getBytes(StandardCharsets.UTF_8);

    private final TestAccounts accounts = new TestAccounts();
    private final InMemoryUsers users = (InMemoryUsers) accounts.users;
    private final HeldTotp store = new HeldTotp(new InMemoryTotp(users));
    private final LoginThrottle throttle = new LoginThrottle(accounts.counters, LoginBackoff.DEFAULT);
    private final TotpKeys keys = new TotpKeys(REFRESH_KEY, Optional.empty());
    private final SecondFactor factor = new SecondFactor(store, keys, throttle, accounts.clock, accounts.events);
    private final TotpService totp = new TotpService(users, store, keys, factor, accounts.hasher, throttle,
            accounts.counters, accounts.sessions, accounts.tokens, accounts.clock, accounts.events);
    private final LoginService login = new LoginService(users, accounts.hasher, throttle, accounts.sessions,
            accounts.tokens, accounts.clock, accounts.events, totp);
    private byte[] secret;
    private List<String> recoveryCodes;

    @BeforeEach
    void adaTurnsTheFactorOn() {
        accounts.register("ada");
        TotpService.TotpSetup setup = totp.enable(ada(), principal(), TestAccounts.PASSWORD, TestAccounts.CALLER);
        assertThat(setup.otpauthUri()).startsWith("otpauth://totp/test:ada?secret=" + setup.secret() + "&issuer=test")
                .contains("algorithm=SHA1", "digits=6", "period=30");
        secret = Totp.fromBase32(setup.secret());
        assertThat(ada().mfaEnabled()).isFalse();
        recoveryCodes = totp.confirm(ada(), principal(), code(0), TestAccounts.CALLER);
        accounts.clock.advance(Duration.ofSeconds(30));
    }

    @Test
    void shouldStoreTheSecretEncryptedAndTheRecoveryCodesHashed() {
        assertThat(ada().mfaEnabled()).isTrue();
        assertThat(recoveryCodes).hasSize(10).doesNotHaveDuplicates();
        String stored = ada().totp().secret();
        assertThat(stored).doesNotContain(Totp.base32(secret));
        assertThat(keys.decrypt(ada().userId(), stored)).isEqualTo(secret);
        assertThat(ada().totp().recoveryHashes()).hasSize(10).doesNotContainAnyElementsOf(recoveryCodes);
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.MFA_ENABLED);
    }

    @Test
    void shouldNotTurnTheFactorOnWithAWrongCode() {
        accounts.register("bob");
        User bob = accounts.users.findByUsername("bob").orElseThrow();
        var bobs = new Principal(bob.userId(), "bob", 0, bob.sessions().keySet().iterator().next(), Set.of());
        totp.enable(bob, bobs, TestAccounts.PASSWORD, TestAccounts.CALLER);
        User pending = accounts.users.findByUsername("bob").orElseThrow();
        assertThatThrownBy(() -> totp.confirm(pending, bobs, "000000", TestAccounts.CALLER))
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(TotpError.INVALID_MFA_CODE));
        assertThat(accounts.users.findByUsername("bob").orElseThrow().mfaEnabled()).isFalse();
    }

    @Test
    void shouldAnswerALoginWithMfaRequiredAndExchangeTheTokenForAPair() {
        String mfaToken = mfaTokenOfLogin(null);
        LoginService.LoginResult result = totp.verifyMfa(mfaToken, code(0), TestAccounts.CALLER);
        Principal signedIn = accounts.tokens.verifyAccess(result.tokens().accessToken()).orElseThrow();
        assertThat(ada().session(signedIn.sessionId()).orElseThrow().multiFactor()).isTrue();
        assertThat(accounts.tokens.verifyDevice(result.deviceToken())).isPresent();
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.MFA_CHALLENGE_PASSED);
    }

    @Test
    void shouldRefuseACodeTheSecondTime() {
        totp.verifyMfa(mfaTokenOfLogin(null), code(0), TestAccounts.CALLER);
        assertInvalid(() -> totp.verifyMfa(mfaTokenOfLogin(null), code(0), TestAccounts.CALLER));
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.MFA_CHALLENGE_FAILED);
    }

    @Test
    void shouldRefuseAnMfaTokenTheSecondTime() {
        String mfaToken = mfaTokenOfLogin(null);
        totp.verifyMfa(mfaToken, code(0), TestAccounts.CALLER);
        accounts.clock.advance(Duration.ofSeconds(30));
        assertInvalid(() -> totp.verifyMfa(mfaToken, code(0), TestAccounts.CALLER));
    }

    /**
     * Two logins send one code at once: both read the same last accepted step and find the code
     * good; the step in the write's condition lets only the first through.
     */
    @Test
    void shouldLetOnlyOneOfTwoConcurrentUsesOfACodeThrough() {
        String first = mfaTokenOfLogin(null);
        String second = mfaTokenOfLogin(null);
        var pairs = new ArrayList<TokenPair>();
        store.beforeNextSpend(() -> pairs.add(totp.verifyMfa(second, code(0), TestAccounts.CALLER).tokens()));
        assertInvalid(() -> totp.verifyMfa(first, code(0), TestAccounts.CALLER));
        assertThat(pairs).hasSize(1);
    }

    /** Two logins send one recovery code at once: the code still stored is the write's condition. */
    @Test
    void shouldLetOnlyOneOfTwoConcurrentUsesOfARecoveryCodeThrough() {
        String first = mfaTokenOfLogin(null);
        String second = mfaTokenOfLogin(null);
        var pairs = new ArrayList<TokenPair>();
        store.beforeNextSpend(() -> pairs.add(totp.verifyMfa(second, recoveryCodes.get(0), TestAccounts.CALLER).tokens()));
        assertInvalid(() -> totp.verifyMfa(first, recoveryCodes.get(0), TestAccounts.CALLER));
        assertThat(pairs).hasSize(1);
    }

    /** One mfa token sent twice at once with two good proofs: its consumption lets only one through. */
    @Test
    void shouldConsumeAnMfaTokenOnce() {
        String mfaToken = mfaTokenOfLogin(null);
        var pairs = new ArrayList<TokenPair>();
        store.beforeNextSpend(() -> pairs.add(totp.verifyMfa(mfaToken, recoveryCodes.get(1), TestAccounts.CALLER).tokens()));
        totp.verifyMfa(mfaToken, code(0), TestAccounts.CALLER);
        assertThat(pairs).isEmpty();
    }

    @Test
    void shouldAcceptEachRecoveryCodeOnce() {
        String code = recoveryCodes.get(3).toUpperCase().replace("-", " ");
        totp.verifyMfa(mfaTokenOfLogin(null), code, TestAccounts.CALLER);
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.RECOVERY_CODE_USED);
        assertThat(ada().totp().recoveryHashes()).hasSize(9);
        assertInvalid(() -> totp.verifyMfa(mfaTokenOfLogin(null), recoveryCodes.get(3), TestAccounts.CALLER));
    }

    @Test
    void shouldKillAnMfaTokenAfterFiveWrongCodes() {
        String mfaToken = mfaTokenOfLogin(null);
        for (int i = 0; i < TotpService.MFA_TOKEN_TRIES; i++) {
            assertInvalid(() -> totp.verifyMfa(mfaToken, "000000".equals(code(0)) ? "111111" : "000000",
                    TestAccounts.CALLER));
            // Past the budget's back-off lock: only the token's own limit is left to refuse.
            accounts.clock.advance(Duration.ofSeconds(40));
        }
        assertInvalid(() -> totp.verifyMfa(mfaToken, code(0), TestAccounts.CALLER));
    }

    @Test
    void shouldNotLetAStrangerWithThePasswordLockTheOwnersSecondFactor() {
        String ownersDevice = totp.verifyMfa(mfaTokenOfLogin(null), code(0), TestAccounts.CALLER).deviceToken();
        accounts.clock.advance(Duration.ofSeconds(30));
        String strangers = mfaTokenOfLogin(null);
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts() - 1; i++) {
            assertInvalid(() -> totp.verifyMfa(strangers, "999999".equals(code(0)) ? "888888" : "999999",
                    TestAccounts.CALLER));
        }
        assertThatThrownBy(() -> totp.verifyMfa(strangers, "123456", TestAccounts.CALLER))
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(ErrorType.LOGIN_THROTTLED));
        assertThat(totp.verifyMfa(mfaTokenOfLogin(ownersDevice), code(0), TestAccounts.CALLER).tokens()).isNotNull();
    }

    @Test
    void shouldNeverTakeAnMfaTokenForAnotherKindOfToken() {
        String mfaToken = mfaTokenOfLogin(null);
        assertThat(accounts.tokens.verifyAccess(mfaToken)).isEmpty();
        assertThat(accounts.tokens.verifyRefresh(mfaToken)).isEmpty();
        assertThat(accounts.tokens.verifyDevice(mfaToken)).isEmpty();
        String refresh = accounts.register("eve").refreshToken();
        assertThat(accounts.tokens.verifyMfa(refresh)).isEmpty();
    }

    @Test
    void shouldAskTheStepUpOperationsForACurrentCode() {
        assertThatThrownBy(() -> factor.requireFor(ada(), principal(), null, TestAccounts.CALLER))
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(TotpError.MFA_REQUIRED));
        factor.requireFor(ada(), principal(), code(0), TestAccounts.CALLER);
        assertInvalid(() -> factor.requireFor(ada(), principal(), code(0), TestAccounts.CALLER));
    }

    @Test
    void shouldTurnTheFactorOffWithThePasswordAndACode() {
        totp.disable(ada(), principal(), TestAccounts.PASSWORD, code(0), TestAccounts.CALLER);
        assertThat(ada().mfaEnabled()).isFalse();
        assertThat(ada().totp()).isNull();
        assertThat(login.login("ada", TestAccounts.PASSWORD, null, TestAccounts.CALLER).tokens()).isNotNull();
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.MFA_DISABLED);
    }

    @Test
    void shouldKeepTheFactorThroughAPasswordChange() {
        User live = ada();
        accounts.passwords.changePassword(live, principal(), TestAccounts.PASSWORD, TestAccounts.PASSWORD + "!",
                TestAccounts.CALLER);
        assertThat(ada().mfaEnabled()).isTrue();
    }

    @Test
    void shouldKeepTheFactorThroughAPasswordReset() {
        accounts.verification.setEmail(ada(), principal(), "ada@example.org", TestAccounts.PASSWORD, TestAccounts.CALLER);
        accounts.verification.verifyEmail(ada(), accounts.lastCodeTo("ada@example.org"), TestAccounts.CALLER);
        accounts.resets.requestPasswordReset("ada@example.org", TestAccounts.CALLER);
        assertThat(accounts.resets.resetPassword("ada@example.org", accounts.lastCodeTo("ada@example.org"),
                "a new passphrase to remember", TestAccounts.CALLER)).isTrue();
        assertThat(ada().mfaEnabled()).isTrue();
        assertThatThrownBy(() -> login.login("ada", "a new passphrase to remember", null, TestAccounts.CALLER))
                .satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(TotpError.MFA_REQUIRED));
    }

    private String mfaTokenOfLogin(String deviceToken) {
        try {
            login.login("ada", TestAccounts.PASSWORD, deviceToken, TestAccounts.CALLER);
        } catch (ApiError e) {
            assertThat(e.code()).isEqualTo(TotpError.MFA_REQUIRED);
            return (String) e.extensions().get("mfaToken");
        }
        throw new AssertionError("the login gave tokens without a second factor");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).satisfies(e -> assertThat(((ApiError) e).code()).isEqualTo(TotpError.INVALID_MFA_CODE));
    }

    private String code(int stepsFromNow) {
        return Totp.code(secret, Totp.step(accounts.clock.instant()) + stepsFromNow);
    }

    private User ada() {
        return accounts.users.findByUsername("ada").orElseThrow();
    }

    private Principal principal() {
        User ada = ada();
        return new Principal(ada.userId(), "ada", ada.tokenCount(), ada.sessions().keySet().iterator().next(), Set.of());
    }

    /** The store, with another request's run put just before the next spend of a code. */
    private static final class HeldTotp implements TotpStore {
        private final TotpStore store;
        private Runnable beforeSpend;

        HeldTotp(TotpStore store) {
            this.store = store;
        }

        void beforeNextSpend(Runnable other) {
            this.beforeSpend = other;
        }

        private void held() {
            Runnable other = beforeSpend;
            beforeSpend = null;
            if (other != null) {
                try {
                    other.run();
                } catch (ApiError e) {
                    // the other request's refusal: the test counts what got through
                }
            }
        }

        @Override
        public boolean begin(User user, String pendingSecret) {
            return store.begin(user, pendingSecret);
        }

        @Override
        public boolean enable(User user, String pendingSecret, long step, Set<String> recoveryHashes) {
            return store.enable(user, pendingSecret, step, recoveryHashes);
        }

        @Override
        public boolean acceptStep(User user, String secret, long step) {
            held();
            return store.acceptStep(user, secret, step);
        }

        @Override
        public boolean useRecoveryCode(User user, String secret, String hash) {
            held();
            return store.useRecoveryCode(user, secret, hash);
        }

        @Override
        public boolean disable(User user, String secret) {
            return store.disable(user, secret);
        }
    }
}
