package dev.tokenauth.session;

import static dev.tokenauth.memory.TestAccounts.CALLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

import com.auth0.jwt.JWT;
import dev.tokenauth.audit.Caller;
import dev.tokenauth.audit.SecurityEvent;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.InterleavedUsers;
import dev.tokenauth.memory.TestAccounts;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenClaims;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.Session;
import dev.tokenauth.user.User;
import org.junit.jupiter.api.Test;

class SessionServiceTest {

    private final TestAccounts accounts = new TestAccounts();
    private final SessionService sessions = accounts.sessions;

    @Test
    void shouldHandTheReplacedTokenTheNewPairUntilTheLastSecondOfTheGraceWindowAndEndEverySessionOneSecondLater() {
        TokenPair gen0 = accounts.register("ada");
        TokenClaims old = claims(gen0);
        accounts.clock.advance(Duration.ofMinutes(20).plusMillis(400));
        TokenPair gen1 = sessions.refresh(old, CALLER).orElseThrow().tokens();

        accounts.clock.advance(TestAccounts.SESSIONS.refreshGrace());
        assertThat(sessions.refresh(old, CALLER)).get().extracting(SessionService.Refreshed::tokens).isEqualTo(gen1);

        accounts.clock.advance(Duration.ofSeconds(1));
        assertThat(sessions.refresh(old, CALLER)).isEmpty();
        User user = accounts.users.findByUsername("ada").orElseThrow();
        assertThat(user.sessions()).isEmpty();
        assertThat(user.tokenCount()).isEqualTo(1);
        assertThat(accounts.events.types()).containsOnlyOnce(SecurityEvent.Type.REFRESH_REUSE_DETECTED,
                SecurityEvent.Type.SESSION_REFRESHED);
    }

    @Test
    void shouldRotateASessionThoughEachOfTheUsersOtherSessionsRotatesBetweenItsReadAndItsWrite() {
        var users = new InterleavedUsers();
        int maxSessions = 10;
        var accounts = new TestAccounts(users, 4, new SessionService.Policy(maxSessions,
                TestAccounts.SESSIONS.refreshGrace(), TestAccounts.SESSIONS.maxLifetime()));
        TokenPair mine = accounts.register("ada");
        var others = new ArrayDeque<TokenClaims>();
        for (int i = 1; i < maxSessions; i++) {
            others.add(claims(accounts.login("ada", TestAccounts.PASSWORD).tokens()));
        }
        // The user's other sessions, each refreshed once, just before each write of this refresh.
        users.beforeEachWriteOf(Thread.currentThread(), () -> {
            TokenClaims other = others.poll();
            if (other != null) {
                assertThat(accounts.sessions.refresh(other, CALLER)).isPresent();
            }
        });

        assertThat(accounts.sessions.refresh(claims(mine), CALLER)).isPresent();
        assertThat(others).isEmpty();
        assertThat(accounts.users.findByUsername("ada").orElseThrow().sessions().values())
                .extracting(Session::generation).containsOnly(1L);
    }

    @Test
    void shouldEndASessionAtItsMaximumLifetimeHoweverOftenItIsRefreshed() {
        TokenPair pair = accounts.register("ada");
        Instant login = accounts.clock.instant();
        Instant end = login.plus(TestAccounts.SESSIONS.maxLifetime());
        TokenClaims claims = claims(pair);
        // A refresh every six days keeps the refresh token (seven days) alive until the session's end.
        while (accounts.clock.instant().plus(Duration.ofDays(6)).isBefore(end)) {
            accounts.clock.advance(Duration.ofDays(6));
            pair = sessions.refresh(claims, CALLER).orElseThrow().tokens();
            claims = claims(pair);
        }
        assertThat(JWT.decode(pair.refreshToken()).getExpiresAtAsInstant()).isEqualTo(end);
        assertThat(JWT.decode(pair.accessToken()).getExpiresAtAsInstant()).isBeforeOrEqualTo(end);

        accounts.clock.set(end.minusSeconds(1));
        TokenClaims lastSecond = claims(pair);
        accounts.clock.set(end);
        assertThat(sessions.refresh(lastSecond, CALLER)).isEmpty();
        assertThat(accounts.tokens.verifyRefresh(pair.refreshToken())).isEmpty();
        Principal principal = lastSecond.principal();
        assertThat(catchThrowableOfType(ApiError.class, () -> sessions.currentUser(principal)).code())
                .isEqualTo(ErrorType.UNAUTHENTICATED);
    }

    @Test
    void shouldEvictTheSessionUsedLeastRecentlyNotTheOldest() {
        TokenPair first = accounts.register("ada");
        accounts.clock.advance(Duration.ofMinutes(1));
        TokenPair second = accounts.login("ada", TestAccounts.PASSWORD).tokens();
        accounts.clock.advance(Duration.ofMinutes(1));
        accounts.login("ada", TestAccounts.PASSWORD);
        accounts.clock.advance(Duration.ofMinutes(1));
        // The first device is in use: its refresh makes it the most recently used.
        TokenPair firstAgain = sessions.refresh(claims(first), CALLER).orElseThrow().tokens();
        accounts.clock.advance(Duration.ofMinutes(1));
        accounts.login("ada", TestAccounts.PASSWORD);

        User user = accounts.users.findByUsername("ada").orElseThrow();
        assertThat(user.sessions()).hasSize(TestAccounts.SESSIONS.maxSessions())
                .containsKey(claims(firstAgain).principal().sessionId())
                .doesNotContainKey(claims(second).principal().sessionId());
    }

    @Test
    void shouldListTheCallersSessionsWithTheirDeviceLabels() {
        TokenPair laptop = accounts.register("ada");
        accounts.clock.advance(Duration.ofMinutes(1));
        accounts.login.login("ada", TestAccounts.PASSWORD, null,
                new Caller("request-2", "192.0.2.2", "Phone\u0000App/" + "x".repeat(Session.MAX_LABEL_LENGTH)));

        List<SessionService.SessionInfo> list = sessions.list(sessions.currentUser(claims(laptop).principal()), claims(laptop).principal());

        assertThat(list).hasSize(2);
        assertThat(list.get(0).label()).startsWith("PhoneApp/").hasSize(Session.MAX_LABEL_LENGTH);
        assertThat(list.get(0).current()).isFalse();
        assertThat(list.get(1).label()).isEqualTo(CALLER.userAgent());
        assertThat(list.get(1).current()).isTrue();
        assertThat(list.get(1).lastUsedAt()).isEqualTo(list.get(1).createdAt()).isBefore(list.get(0).createdAt());
    }

    @Test
    void shouldRevokeOnlyTheCallersOwnSessions() {
        Principal ada = claims(accounts.register("ada")).principal();
        Principal adaPhone = claims(accounts.login("ada", TestAccounts.PASSWORD).tokens()).principal();
        Principal bob = claims(accounts.register("bob")).principal();

        var foreign = catchThrowableOfType(ApiError.class, () -> sessions.revoke(sessions.currentUser(ada), ada, bob.sessionId(), CALLER));
        var unknown = catchThrowableOfType(ApiError.class, () -> sessions.revoke(sessions.currentUser(ada), ada, "no-such-session", CALLER));

        assertThat(foreign.code()).isEqualTo(ErrorType.BAD_USER_INPUT);
        assertThat(unknown.getMessage()).isEqualTo(foreign.getMessage());
        assertThat(accounts.users.findByUsername("bob").orElseThrow().sessions()).containsKey(bob.sessionId());
        assertThat(accounts.events.types()).doesNotContain(SecurityEvent.Type.SESSION_REVOKED);

        assertThat(sessions.revoke(sessions.currentUser(ada), ada, adaPhone.sessionId(), CALLER)).isTrue();
        assertThat(accounts.users.findByUsername("ada").orElseThrow().sessions()).containsOnlyKeys(ada.sessionId());
        assertThat(accounts.events.events).filteredOn(e -> e.type() == SecurityEvent.Type.SESSION_REVOKED)
                .singleElement().satisfies(e -> assertThat(e.sessionId()).isEqualTo(adaPhone.sessionId()));
    }

    private TokenClaims claims(TokenPair pair) {
        return accounts.tokens.verifyRefresh(pair.refreshToken()).orElseThrow();
    }
}
