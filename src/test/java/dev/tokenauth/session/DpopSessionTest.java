package dev.tokenauth.session;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import com.auth0.jwt.JWT;
import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.HoldingUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.DpopKey;
import dev.tokenauth.token.DpopProofs.Proof;
import dev.tokenauth.token.TokenClaims;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.Session;
import org.junit.jupiter.api.Test;

/** Sessions bound to a DPoP key (RFC 9449): what a copied token pair can and cannot do. */
class DpopSessionTest {

    private final DpopKey key = DpopKey.generate();
    private final Caller browser = CALLER.withKey(key.thumbprint());
    private int proofs;
    private dev.tokenauth.memory.MutableClock clock;

    @Test
    void shouldBindTheSessionAndTheAccessTokenToTheLoginsKey() {
        var accounts = new TestAccounts();
        clock = accounts.clock;
        TokenPair pair = accounts.register("ada");
        TokenPair bound = accounts.login.login("ada", TestAccounts.PASSWORD, null, browser).tokens();

        assertThat(JWT.decode(pair.accessToken()).getClaim("cnf").isMissing()).isTrue();
        assertThat(JWT.decode(bound.accessToken()).getClaim("cnf").asMap()).isEqualTo(Map.of("jkt", key.thumbprint()));
        assertThat(accounts.tokens.verifyAccessClaims(bound.accessToken()).orElseThrow().keyThumbprint())
                .isEqualTo(key.thumbprint());
        String sessionId = claims(accounts, bound).principal().sessionId();
        assertThat(accounts.users.findByUsername("ada").orElseThrow().session(sessionId).orElseThrow().keyThumbprint())
                .isEqualTo(key.thumbprint());
    }

    @Test
    void shouldRefreshABoundSessionOnlyWithAProofFromItsKeyAndKeepTheNewPairBound() {
        var accounts = new TestAccounts();
        clock = accounts.clock;
        TokenPair gen0 = accounts.registration.register("ada", TestAccounts.PASSWORD, browser);
        accounts.clock.advance(Duration.ofMinutes(20));

        assertThat(accounts.sessions.refresh(claims(accounts, gen0), CALLER)).isEmpty();
        assertThat(accounts.sessions.refresh(claims(accounts, gen0), CALLER, proofOf(DpopKey.generate()))).isEmpty();
        // Nothing was written: a thief without the key cannot even trigger reuse detection.
        assertThat(generations(accounts)).isEqualTo(0);
        assertThat(accounts.events.types()).doesNotContain(SecurityEvent.Type.REFRESH_REUSE_DETECTED);

        TokenPair gen1 = accounts.sessions.refresh(claims(accounts, gen0), CALLER, proofOf(key)).orElseThrow().tokens();
        assertThat(accounts.tokens.verifyAccessClaims(gen1.accessToken()).orElseThrow().keyThumbprint())
                .isEqualTo(key.thumbprint());
        assertThat(generations(accounts)).isEqualTo(1);
    }

    @Test
    void shouldRefuseTheReplacedRefreshTokenInsideTheGraceWindowWithoutTheKeyWhereABearerSessionHandsOutThePair() {
        var accounts = new TestAccounts();
        clock = accounts.clock;
        TokenPair bearer = accounts.register("bob");
        TokenPair bound = accounts.registration.register("ada", TestAccounts.PASSWORD, browser);
        accounts.sessions.refresh(claims(accounts, bearer), CALLER).orElseThrow();
        accounts.sessions.refresh(claims(accounts, bound), CALLER, proofOf(key)).orElseThrow();

        // Within the grace window, the thief replays the replaced refresh token.
        assertThat(accounts.sessions.refresh(claims(accounts, bearer), CALLER)).isPresent();
        assertThat(accounts.sessions.refresh(claims(accounts, bound), CALLER)).isEmpty();
        assertThat(accounts.sessions.refresh(claims(accounts, bound), CALLER, proofOf(DpopKey.generate()))).isEmpty();
        // The client's other tabs, with the key, still get the new pair in that window.
        assertThat(accounts.sessions.refresh(claims(accounts, bound), CALLER, proofOf(key))).isPresent();
    }

    @Test
    void shouldRefuseAProofReplayedOnARefreshEvenInsideTheGraceWindow() {
        var accounts = new TestAccounts();
        clock = accounts.clock;
        TokenPair gen0 = accounts.registration.register("ada", TestAccounts.PASSWORD, browser);
        Proof proof = proofOf(key);
        assertThat(accounts.sessions.refresh(claims(accounts, gen0), CALLER, proof)).isPresent();

        assertThat(accounts.sessions.refresh(claims(accounts, gen0), CALLER, proof)).isEmpty();

        Proof graceProof = proofOf(key);
        assertThat(accounts.sessions.refresh(claims(accounts, gen0), CALLER, graceProof)).isPresent();
        assertThat(accounts.sessions.refresh(claims(accounts, gen0), CALLER, graceProof)).isEmpty();
    }

    @Test
    void shouldRefuseAProofSpentOnAnEarlierGenerationWithTheTokenItsSuccessorReplaced() {
        var accounts = new TestAccounts();
        clock = accounts.clock;
        TokenPair gen0 = accounts.registration.register("ada", TestAccounts.PASSWORD, browser);
        Proof first = proofOf(key);
        TokenPair gen1 = accounts.sessions.refresh(claims(accounts, gen0), CALLER, first).orElseThrow().tokens();
        assertThat(accounts.sessions.refresh(claims(accounts, gen1), CALLER, proofOf(key))).isPresent();

        // gen1 was just replaced, and the proof the gen0 refresh spent is still young.
        assertThat(accounts.sessions.refresh(claims(accounts, gen1), CALLER, first)).isEmpty();
    }

    @Test
    void shouldForgetSpentProofsOnceTheyAreTooOldToBeAcceptedAnyway() {
        var accounts = new TestAccounts();
        clock = accounts.clock;
        TokenPair pair = accounts.registration.register("ada", TestAccounts.PASSWORD, browser);
        for (int i = 0; i < Session.MAX_SPENT_PROOFS + 5; i++) {
            pair = accounts.sessions.refresh(claims(accounts, pair), CALLER, proofOf(key)).orElseThrow().tokens();
            accounts.clock.advance(Duration.ofSeconds(10));
        }
        assertThat(accounts.users.findByUsername("ada").orElseThrow().sessions().values().iterator().next()
                .spentProofs()).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void shouldRefuseTheSecondOfTwoRefreshesWithOneProofThoughBothCheckedItBeforeEitherWrote() throws Exception {
        var users = new HoldingUsers();
        var accounts = new TestAccounts(users, 4, TestAccounts.SESSIONS);
        clock = accounts.clock;
        TokenPair gen0 = accounts.registration.register("ada", TestAccounts.PASSWORD, browser);
        Proof proof = proofOf(key);
        TokenClaims claims = claims(accounts, gen0);

        // The first refresh has checked the proof's jti and waits at its write...
        var first = new CompletableFuture<Optional<SessionService.Refreshed>>();
        Thread thread = new Thread(() -> first.complete(accounts.sessions.refresh(claims, CALLER, proof)));
        users.holdNextWriteOf(thread);
        thread.start();
        users.awaitHeld();
        // ...while the same proof, replayed, rotates the session.
        assertThat(accounts.sessions.refresh(claims, CALLER, proof)).isPresent();
        users.release();

        assertThat(first.get()).isEmpty();
        assertThat(accounts.users.findByUsername("ada").orElseThrow().sessions().values())
                .extracting(Session::spentProofs)
                .containsExactly(java.util.List.of(new Session.SpentProof(proof.jti(), proof.issuedAt())));
    }

    @Test
    void shouldRefuseALoginWithoutAKeyWhenDpopIsRequired() {
        var policy = new SessionService.Policy(TestAccounts.SESSIONS.maxSessions(), TestAccounts.SESSIONS.refreshGrace(),
                TestAccounts.SESSIONS.maxLifetime(), DpopMode.REQUIRED);
        var accounts = new TestAccounts(new dev.tokenauth.memory.InMemoryUsers(), 4, policy);

        ApiError refused = catchThrowableOfType(ApiError.class, () -> accounts.register("ada"));
        assertThat(refused.code()).isEqualTo(ErrorType.UNAUTHENTICATED);
        assertThat(accounts.registration.register("bob", TestAccounts.PASSWORD, browser)).isNotNull();
    }

    @Test
    void shouldBindNothingWhenDpopIsOff() {
        var policy = new SessionService.Policy(TestAccounts.SESSIONS.maxSessions(), TestAccounts.SESSIONS.refreshGrace(),
                TestAccounts.SESSIONS.maxLifetime(), DpopMode.OFF);
        var accounts = new TestAccounts(new dev.tokenauth.memory.InMemoryUsers(), 4, policy);

        TokenPair pair = accounts.registration.register("ada", TestAccounts.PASSWORD, browser);
        assertThat(accounts.tokens.verifyAccessClaims(pair.accessToken()).orElseThrow().keyThumbprint()).isNull();
    }

    private Proof proofOf(DpopKey key) {
        return new Proof(key.thumbprint(), "proof-" + (++proofs), clock.instant());
    }

    private static long generations(TestAccounts accounts) {
        return accounts.users.findByUsername("ada").orElseThrow().sessions().values().iterator().next().generation();
    }

    private static TokenClaims claims(TestAccounts accounts, TokenPair pair) {
        return accounts.tokens.verifyRefresh(pair.refreshToken()).orElseThrow();
    }
}
