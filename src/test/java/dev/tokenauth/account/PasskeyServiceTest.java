package dev.tokenauth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.InMemoryPasskeyChallenges;
import dev.tokenauth.memory.InMemoryPasskeys;
import dev.tokenauth.memory.RecordedCeremonies;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.Passkey;
import dev.tokenauth.user.PasskeyChallenges.Purpose;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The passkey rules, decided on ceremonies recorded with Chromium's virtual authenticator, with
 * the challenges they answer stored as {@code passkeyRegistrationOptions} and
 * {@code passkeyLoginOptions} store theirs.
 */
class PasskeyServiceTest {

    private static final RecordedCeremonies RECORDED = RecordedCeremonies.load();
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestAccounts accounts = new TestAccounts();
    private final InMemoryPasskeys passkeys = new InMemoryPasskeys();
    private final InMemoryPasskeyChallenges challenges = new InMemoryPasskeyChallenges();
    private final LoginThrottle throttle = new LoginThrottle(accounts.counters, LoginBackoff.DEFAULT);
    private final PasskeyService service = service(new PasskeyPolicy(RECORDED.rpId, List.of(RECORDED.origin), TTL));
    private final User ada = createAda();
    private final Principal principal = new Principal(ada.userId(), ada.username(), 0, "session-1", Set.of());

    private PasskeyService service(PasskeyPolicy policy) {
        return new PasskeyService(policy, passkeys, challenges, accounts.users, accounts.hasher, throttle,
                accounts.sessions, accounts.tokens, accounts.clock, accounts.events);
    }

    private User createAda() {
        // The recorded user handle is this user id's bytes.
        accounts.users.create(new User(RECORDED.userId, "ada", accounts.hasher.hash(TestAccounts.PASSWORD), 0, Map.of(),
                accounts.clock.instant(), 0));
        return accounts.users.findByUsername("ada").orElseThrow();
    }

    private void opened(RecordedCeremonies.Ceremony ceremony, Purpose purpose, String userId) {
        challenges.store(ceremony.challengeBytes(), purpose, userId, accounts.clock.instant().plus(TTL));
    }

    private Passkey registerRecorded() {
        opened(RECORDED.registration, Purpose.REGISTRATION, ada.userId());
        return service.register(ada, principal, RECORDED.registration.credential(), "Laptop", TestAccounts.CALLER);
    }

    private LoginService.LoginResult signIn(RecordedCeremonies.Ceremony assertion) {
        opened(assertion, Purpose.AUTHENTICATION, null);
        return service.login(assertion.credential(), TestAccounts.CALLER);
    }

    private List<String> failureReasons() {
        return accounts.events.events.stream().filter(e -> e.type() == SecurityEvent.Type.PASSKEY_LOGIN_FAILED)
                .map(SecurityEvent::reason).toList();
    }

    private long storedCount() {
        return passkeys.find(ada.userId()).orElseThrow().passkeys().values().iterator().next().signCount();
    }

    @Test
    void shouldOfferADiscoverableVerifiedCredentialForTheUserIdNeverTheUsernameExcludingExistingOnes() {
        JsonNode options = JSON.readTree(service.registrationOptions(ada));

        assertThat(options.at("/user/id").asString())
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(ada.userId().getBytes(StandardCharsets.UTF_8)));
        assertThat(options.at("/rp/id").asString()).isEqualTo(RECORDED.rpId);
        assertThat(options.at("/authenticatorSelection/residentKey").asString()).isEqualTo("required");
        assertThat(options.at("/authenticatorSelection/userVerification").asString()).isEqualTo("required");
        assertThat(options.at("/attestation").asString()).isEqualTo("none");
        assertThat(Base64.getUrlDecoder().decode(options.at("/challenge").asString())).hasSize(32);
        assertThat(options.at("/excludeCredentials").size()).isZero();
        assertThat(challenges.size()).isEqualTo(1);

        Passkey registered = registerRecorded();
        JsonNode next = JSON.readTree(service.registrationOptions(ada));
        assertThat(next.at("/excludeCredentials/0/id").asString()).isEqualTo(registered.id());
        assertThat(next.at("/challenge").asString()).isNotEqualTo(options.at("/challenge").asString());

        JsonNode login = JSON.readTree(service.loginOptions());
        assertThat(login.at("/userVerification").asString()).isEqualTo("required");
        assertThat(login.at("/allowCredentials").size()).isZero();
        assertThat(login.at("/rpId").asString()).isEqualTo(RECORDED.rpId);
    }

    @Test
    void shouldRegisterTheRecordedPasskeyAndSignInWithItWithoutAUsernameOrPassword() {
        Passkey registered = registerRecorded();
        assertThat(registered.id()).isEqualTo(RECORDED.registration.credentialId());
        assertThat(registered.label()).isEqualTo("Laptop");
        assertThat(registered.userVerified()).isTrue();
        assertThat(registered.transports()).containsExactly("internal");
        assertThat(service.passkeys(ada.userId())).extracting(Passkey::id).containsExactly(registered.id());

        var result = signIn(RECORDED.assertions.get(0));

        Principal signedIn = accounts.tokens.verifyAccess(result.tokens().accessToken()).orElseThrow();
        assertThat(signedIn.userId()).isEqualTo(ada.userId());
        assertThat(accounts.users.findByUsername("ada").orElseThrow().session(signedIn.sessionId()))
                .hasValueSatisfying(session -> assertThat(session.multiFactor()).isTrue());
        assertThat(result.deviceToken()).isNotBlank();
        Passkey used = service.passkeys(ada.userId()).get(0);
        assertThat(used.signCount()).isEqualTo(2);
        assertThat(used.lastUsedAt()).contains(accounts.clock.instant());
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.PASSKEY_REGISTERED,
                SecurityEvent.Type.PASSKEY_LOGIN_SUCCEEDED);
    }

    @Test
    void shouldRefuseAReplayedAssertionByItsSpentChallengeAndByItsCounterIfTheChallengeWereOpenAgain() {
        registerRecorded();
        signIn(RECORDED.assertions.get(0));

        assertRefused(() -> service.login(RECORDED.assertions.get(0).credential(), TestAccounts.CALLER));
        assertRefused(() -> signIn(RECORDED.assertions.get(0)));

        assertThat(failureReasons()).containsExactly("challenge_not_open", PasskeyService.COUNTER_REGRESSION);
        assertThat(storedCount()).isEqualTo(2);
    }

    @Test
    void shouldRefuseACounterThatWentBackAsAClonedAuthenticator() {
        registerRecorded();
        signIn(RECORDED.assertions.get(1));

        assertRefused(() -> signIn(RECORDED.assertions.get(0)));

        assertThat(failureReasons()).containsExactly(PasskeyService.COUNTER_REGRESSION);
        assertThat(accounts.events.events).filteredOn(e -> e.type() == SecurityEvent.Type.PASSKEY_LOGIN_FAILED)
                .extracting(SecurityEvent::userId).containsExactly(ada.userId());
        assertThat(storedCount()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAReusedRegistrationChallenge() {
        registerRecorded();

        assertThatThrownBy(() -> service.register(ada, principal, RECORDED.secondRegistrationSameChallenge.credential(),
                "Phone", TestAccounts.CALLER))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorType.BAD_USER_INPUT);
                    assertThat(e.getMessage()).contains("ask for new options");
                });
        assertThat(service.passkeys(ada.userId())).hasSize(1);
    }

    @Test
    void shouldRefuseAChallengeOfAnotherUserOrCeremonyAndOnePastItsLifetime() {
        challenges.store(RECORDED.registration.challengeBytes(), Purpose.REGISTRATION, "someone-else",
                accounts.clock.instant().plus(TTL));
        assertThatThrownBy(() -> service.register(ada, principal, RECORDED.registration.credential(), null,
                TestAccounts.CALLER)).hasMessageContaining("ask for new options");

        registerRecorded();
        opened(RECORDED.assertions.get(0), Purpose.REGISTRATION, ada.userId());
        assertRefused(() -> service.login(RECORDED.assertions.get(0).credential(), TestAccounts.CALLER));

        opened(RECORDED.assertions.get(1), Purpose.AUTHENTICATION, null);
        accounts.clock.advance(TTL);
        assertRefused(() -> service.login(RECORDED.assertions.get(1).credential(), TestAccounts.CALLER));

        opened(RECORDED.assertions.get(2), Purpose.AUTHENTICATION, null);
        accounts.clock.advance(TTL.minusSeconds(1));
        assertThat(service.login(RECORDED.assertions.get(2).credential(), TestAccounts.CALLER).tokens()).isNotNull();
        assertThat(failureReasons()).containsExactly("challenge_not_open", "challenge_not_open");
    }

    @Test
    void shouldRefuseCeremoniesFromAnOriginOrForARelyingPartyThatIsNotConfigured() {
        var otherOrigin = service(new PasskeyPolicy(RECORDED.rpId, List.of("http://localhost:1"), TTL));
        opened(RECORDED.registration, Purpose.REGISTRATION, ada.userId());
        assertThatThrownBy(() -> otherOrigin.register(ada, principal, RECORDED.registration.credential(), null,
                TestAccounts.CALLER)).hasMessageContaining("origin is not allowed");

        var otherRp = service(new PasskeyPolicy("example.com", List.of(RECORDED.origin), TTL));
        opened(RECORDED.registration, Purpose.REGISTRATION, ada.userId());
        assertThatThrownBy(() -> otherRp.register(ada, principal, RECORDED.registration.credential(), null,
                TestAccounts.CALLER)).hasMessageContaining("another relying party");

        registerRecorded();
        opened(RECORDED.assertions.get(0), Purpose.AUTHENTICATION, null);
        assertRefused(() -> otherOrigin.login(RECORDED.assertions.get(0).credential(), TestAccounts.CALLER));
        opened(RECORDED.assertions.get(1), Purpose.AUTHENTICATION, null);
        assertRefused(() -> otherRp.login(RECORDED.assertions.get(1).credential(), TestAccounts.CALLER));
        assertThat(failureReasons()).containsExactly("origin_not_allowed", "wrong_relying_party");
    }

    @Test
    void shouldRefuseAnAssertionWithoutUserVerification() {
        registerRecorded();

        assertRefused(() -> signIn(RECORDED.unverifiedAssertion));

        assertThat(failureReasons()).containsExactly("user_not_verified");
    }

    @Test
    void shouldAnswerAnUnknownCredentialAnUnknownUserAndABadSignatureAlike() {
        registerRecorded();
        var assertion = RECORDED.assertions.get(0);
        String otherHandle = Base64.getUrlEncoder().withoutPadding().encodeToString("nobody".getBytes(StandardCharsets.UTF_8));
        String badSignature = RECORDED.assertions.get(1).credential().replace(
                JSON.readTree(RECORDED.assertions.get(1).credential()).at("/response/signature").asString(),
                JSON.readTree(RECORDED.assertions.get(2).credential()).at("/response/signature").asString());
        var messages = new ArrayList<String>();
        for (String credential : List.of(assertion.withResponseField("userHandle", otherHandle),
                unknownCredentialId(assertion.credential()), badSignature)) {
            opened(new RecordedCeremonies.Ceremony(challengeOf(credential), credential), Purpose.AUTHENTICATION, null);
            try {
                service.login(credential, TestAccounts.CALLER);
            } catch (ApiError e) {
                assertThat(e.code()).isEqualTo(ErrorType.INVALID_CREDENTIALS);
                messages.add(e.getMessage());
            }
        }
        assertThat(messages).hasSize(3).containsOnly(PasskeyService.FAILED);
        assertThat(failureReasons()).containsExactly("unknown_credential", "unknown_credential", "verification_failed");
    }

    @Test
    void shouldCountFailedSignInsAgainstTheSourceAddressBeforeAnyCheckAndForgetThemAfterASuccess() {
        registerRecorded();
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts() - 1; i++) {
            assertRefused(() -> service.login(RECORDED.assertions.get(0).credential(), TestAccounts.CALLER));
        }
        signIn(RECORDED.assertions.get(0));
        for (int i = 0; i < LoginBackoff.DEFAULT.freeAttempts(); i++) {
            assertRefused(() -> service.login(RECORDED.assertions.get(0).credential(), TestAccounts.CALLER));
        }

        opened(RECORDED.assertions.get(1), Purpose.AUTHENTICATION, null);
        assertThatThrownBy(() -> service.login(RECORDED.assertions.get(1).credential(), TestAccounts.CALLER))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorType.LOGIN_THROTTLED);
                    assertThat(e.retryAfterSeconds()).isPresent();
                });
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.LOGIN_THROTTLED);
    }

    @Test
    void shouldKeepAtMostTenPasskeysByTheConditionOfTheWriteNotTheOptions() {
        for (int i = 0; i < PasskeyService.MAX_PASSKEYS - 1; i++) {
            passkeys.add(ada.userId(), ada.username(), new Passkey("other-" + i, "", Instant.EPOCH, Optional.empty(), 0,
                    true, false, false, "", Set.of()), PasskeyService.MAX_PASSKEYS);
        }
        // Both ceremonies began while there was room for one more.
        service.registrationOptions(ada);
        service.registrationOptions(ada);

        registerRecorded();
        assertThatThrownBy(() -> service.register(ada, principal, withOpenChallenge(RECORDED.secondRegistrationSameChallenge),
                "Phone", TestAccounts.CALLER)).hasMessageContaining("the most allowed");

        assertThat(service.passkeys(ada.userId())).hasSize(PasskeyService.MAX_PASSKEYS);
        assertThatThrownBy(() -> service.registrationOptions(ada)).hasMessageContaining("the most allowed");
    }

    @Test
    void shouldRefuseASignInHeldBeforeItsWriteWhileASignInWithALaterCounterCommitted() throws Exception {
        registerRecorded();
        opened(RECORDED.assertions.get(0), Purpose.AUTHENTICATION, null);
        var outcome = new AtomicReference<Object>();
        Thread held = new Thread(() -> {
            try {
                outcome.set(service.login(RECORDED.assertions.get(0).credential(), TestAccounts.CALLER));
            } catch (ApiError e) {
                outcome.set(e);
            }
        });
        passkeys.holdNextUseOf(held);
        held.start();
        passkeys.awaitHeld();

        signIn(RECORDED.assertions.get(1));
        passkeys.release();
        held.join();

        // Both verified against counter 1; only the write conditioned on it that came first stands.
        assertThat(outcome.get()).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.code()).isEqualTo(ErrorType.INVALID_CREDENTIALS));
        assertThat(storedCount()).isEqualTo(3);
        assertThat(failureReasons()).containsExactly(PasskeyService.COUNTER_REGRESSION);
    }

    @Test
    void shouldRefuseASignInWhosePasskeyWasRemovedBetweenItsCheckAndItsWrite() throws Exception {
        registerRecorded();
        opened(RECORDED.assertions.get(0), Purpose.AUTHENTICATION, null);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread held = new Thread(() -> {
            try {
                service.login(RECORDED.assertions.get(0).credential(), TestAccounts.CALLER);
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        passkeys.holdNextUseOf(held);
        held.start();
        passkeys.awaitHeld();

        service.remove(ada, principal, RECORDED.registration.credentialId(), TestAccounts.PASSWORD, TestAccounts.CALLER);
        passkeys.release();

        assertThat(outcome.get()).isInstanceOf(ApiError.class);
        assertThat(accounts.users.findByUsername("ada").orElseThrow().sessions()).isEmpty();
    }

    @Test
    void shouldRemoveAPasskeyOnlyWithTheCurrentPasswordAndOnlyTheCallersOwn() {
        Passkey registered = registerRecorded();

        assertThatThrownBy(() -> service.remove(ada, principal, registered.id(), "wrong password!", TestAccounts.CALLER))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorType.INVALID_CREDENTIALS));
        assertThatThrownBy(() -> service.remove(ada, principal, "not-a-passkey", TestAccounts.PASSWORD, TestAccounts.CALLER))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorType.BAD_USER_INPUT));
        assertThat(service.passkeys(ada.userId())).hasSize(1);

        assertThat(service.remove(ada, principal, registered.id(), TestAccounts.PASSWORD, TestAccounts.CALLER)).isTrue();

        assertThat(service.passkeys(ada.userId())).isEmpty();
        assertRefused(() -> signIn(RECORDED.assertions.get(0)));
        assertThat(accounts.events.types()).contains(SecurityEvent.Type.PASSKEY_REMOVED);
    }

    @Test
    void shouldTreatAResponseThatIsNotWebAuthnJsonAsBadInput() {
        for (String credential : List.of("", "{}", "not json", "{\"id\":\"x\",\"response\":{}}")) {
            assertThatThrownBy(() -> service.register(ada, principal, credential, null, TestAccounts.CALLER))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorType.BAD_USER_INPUT));
            assertThatThrownBy(() -> service.login(credential, TestAccounts.CALLER))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorType.BAD_USER_INPUT));
        }
    }

    private String withOpenChallenge(RecordedCeremonies.Ceremony registration) {
        opened(registration, Purpose.REGISTRATION, ada.userId());
        return registration.credential();
    }

    private static String unknownCredentialId(String credential) {
        var node = (tools.jackson.databind.node.ObjectNode) JSON.readTree(credential);
        String unknown = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        node.put("id", unknown);
        node.put("rawId", unknown);
        return JSON.writeValueAsString(node);
    }

    private static String challengeOf(String credential) {
        String clientData = JSON.readTree(credential).at("/response/clientDataJSON").asString();
        return JSON.readTree(Base64.getUrlDecoder().decode(clientData)).get("challenge").asString();
    }

    private static void assertRefused(Runnable signIn) {
        assertThatThrownBy(signIn::run).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorType.INVALID_CREDENTIALS);
            assertThat(e.getMessage()).isEqualTo(PasskeyService.FAILED);
        });
    }
}
