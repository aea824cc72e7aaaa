package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import dev.tokenauth.account.LoginBackoff;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on accounts through the deployed handler against the real DynamoDB server, with many
 * requests at once as several Lambda environments would serve them: parallel guessing, a
 * stranger locking the owner out, registrations from one address, and honest clients refreshing
 * in parallel.
 */
class AccountAttackIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String LOGIN = "mutation($username: String!, $password: String!, $deviceToken: String) { "
            + "login(username: $username, password: $password, deviceToken: $deviceToken) "
            + "{ accessToken refreshToken deviceToken } }";

    /** The default {@code MAX_SESSIONS}: the most sessions one user has at once. */
    private static final int MAX_SESSIONS = 10;

    private final LambdaHarness lambda = LambdaHarness.get();
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void parallelWrongPasswordsForOneNameGetNoMoreChecksThanTheFreeAttempts() throws Exception {
        String name = uniqueName();
        register(name);
        List<String> codes = all(40, () -> plainLogin(name, "wrong password, guess").firstErrorCode());

        // Decided by the stored counter, not by how fast the burst ran: every checked attempt took a
        // place in the count, every other one was refused unchecked, and the free attempts were all
        // checked before the first lock. A burst slower than the first lock (5 s) may check one more
        // attempt per lock that ended: then the count, with its doubled locks, says so.
        var counter = lambda.dynamo.getItem(r -> r.tableName(lambda.table).consistentRead(true)
                .key(Map.of("username", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "login-attempts#" + name)))).item();
        int counted = Integer.parseInt(counter.get("failures").n());
        int free = LoginBackoff.DEFAULT.freeAttempts();
        assertThat(codes).filteredOn("INVALID_CREDENTIALS"::equals).hasSize(counted);
        assertThat(codes).filteredOn("LOGIN_THROTTLED"::equals).hasSize(40 - counted);
        assertThat(codes).containsOnly("INVALID_CREDENTIALS", "LOGIN_THROTTLED");
        assertThat(counted).isGreaterThanOrEqualTo(free);
        // Each attempt after the free ones locked the name for twice as long as the one before: the
        // stored lock is the one the last counted attempt set, so at most one check per lock window.
        long lockSeconds = Long.parseLong(counter.get("lockedUntil").n()) - (Long.parseLong(counter.get("expiresAt").n())
                - LoginBackoff.DEFAULT.memory().toSeconds());
        assertThat(lockSeconds).isEqualTo(Math.min(5L << (counted - free), LoginBackoff.DEFAULT.maxLock().toSeconds()));
    }

    @Test
    void aBurstOfAnonymousGuessesDoesNotLockOutTheOwnerWithTheDeviceTokenOfAnEarlierLogin() throws Exception {
        String name = uniqueName();
        register(name);
        LambdaResponse earlier = login(name, PASSWORD, null);
        String deviceToken = earlier.data("login").path("deviceToken").stringValue();
        assertThat(deviceToken).isNotBlank();

        all(16, () -> plainLogin(name, "a stranger's guess").firstErrorCode());
        assertThat(plainLogin(name, PASSWORD).firstErrorCode()).isEqualTo("LOGIN_THROTTLED");

        LambdaResponse owner = login(name, PASSWORD, deviceToken);
        assertThat(owner.firstErrorCode()).as(owner.body()).isNull();
        assertThat(owner.data("login").path("accessToken").stringValue()).isNotBlank();
    }

    @Test
    void registrationsFromOneSourceAddressAreLimitedPerHour() {
        String address = "192.0.2." + ThreadLocalRandom.current().nextInt(1, 255);
        int limit = 20;
        String taken = uniqueName();
        assertThat(register(address, taken).firstErrorCode()).isNull();
        for (int i = 1; i < limit; i++) {
            // Probing a taken name could have created an account: it counts.
            assertThat(register(address, taken).firstErrorCode()).isEqualTo("USERNAME_TAKEN");
        }
        LambdaResponse refused = register(address, uniqueName());
        assertThat(refused.firstErrorCode()).isEqualTo("REGISTRATION_THROTTLED");
        assertThat(refused.json().path("errors").path(0).path("extensions").path("retryAfterSeconds").asLong())
                .isBetween(1L, 3600L);
        assertThat(register("198.18.0." + ThreadLocalRandom.current().nextInt(1, 255), uniqueName()).firstErrorCode())
                .isNull();
    }

    @Test
    void registrationsAreCountedPerIpv6NetworkWhateverTheSpellingOfTheAddress() {
        int network = ThreadLocalRandom.current().nextInt(1, 0xffff);
        String prefix = String.format("2001:db8:%x:%x", ThreadLocalRandom.current().nextInt(1, 0xffff), network);
        String expanded = String.format("2001:0DB8:%04X:%04X", Integer.parseInt(prefix.split(":")[2], 16), network);
        String taken = uniqueName();
        assertThat(register(prefix + "::1", taken).firstErrorCode()).isNull();
        for (int i = 1; i < 20; i++) {
            // Other hosts of one /64, in lower case, upper case and uncompressed.
            String address = switch (i % 3) {
                case 0 -> prefix + "::" + Integer.toHexString(i);
                case 1 -> (prefix + "::" + Integer.toHexString(i)).toUpperCase();
                default -> expanded + ":0000:0000:0000:" + String.format("%04x", i);
            };
            assertThat(register(address, taken).firstErrorCode()).as(address).isEqualTo("USERNAME_TAKEN");
        }
        assertThat(register(prefix + ":ffff:ffff:ffff:ffff", uniqueName()).firstErrorCode())
                .isEqualTo("REGISTRATION_THROTTLED");
        assertThat(register(expanded.toLowerCase() + "::1", uniqueName()).firstErrorCode())
                .isEqualTo("REGISTRATION_THROTTLED");
        String otherNetwork = String.format("2001:db8:%x:%x::1", ThreadLocalRandom.current().nextInt(1, 0xffff),
                (network + 1) & 0xffff);
        assertThat(register(otherNetwork, uniqueName()).firstErrorCode()).isNull();
    }

    @Test
    void malformedRegistrationsDoNotSpendTheAddressesBudget() {
        String address = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);
        for (int i = 0; i < 25; i++) {
            assertThat(register(address, "no").firstErrorCode()).isEqualTo("BAD_USER_INPUT");
        }
        LambdaResponse legitimate = register(address, uniqueName());
        assertThat(legitimate.firstErrorCode()).as(legitimate.body()).isNull();
    }

    @Test
    void honestClientsSendingOneExpiredAccessTokenAndOneRefreshTokenInParallelStayLoggedIn() throws Exception {
        String name = uniqueName();
        TokenPair pair = register(name);
        Principal principal = LambdaHarness.tokens(Duration.ZERO).verifyAccess(pair.accessToken()).orElseThrow();
        String expiredAccess = LambdaHarness.tokens(Duration.ofHours(-1)).issue(principal).accessToken();
        for (int round = 0; round < Integer.getInteger("honest.rounds", 5); round++) {
            String refreshToken = pair.refreshToken();
            var responses = all(8, () -> lambda.invoke(Event.load("logged-in-user.json")
                    .header("x-access-token", expiredAccess).header("x-refresh-token", refreshToken)));
            Set<String> newRefreshTokens = new HashSet<>();
            for (LambdaResponse response : responses) {
                assertThat(response.firstErrorCode()).as(response.body()).isNull();
                assertThat(response.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
                newRefreshTokens.add(response.header("x-refresh-token"));
            }
            assertThat(newRefreshTokens).hasSize(1).doesNotContainNull();
            pair = new TokenPair(responses.get(0).header("x-access-token"), newRefreshTokens.iterator().next());
        }
    }

    @Test
    void everySessionOfOneUserRefreshingAtTheSameMomentGetsItsNextPair() throws Exception {
        String name = uniqueName();
        register(name);
        var sessionPool = Executors.newFixedThreadPool(MAX_SESSIONS);
        try {
            List<TokenPair> pairs = new ArrayList<>();
            for (int i = 0; i < MAX_SESSIONS; i++) {
                LambdaResponse response = login(name, PASSWORD, null);
                pairs.add(new TokenPair(response.data("login").path("accessToken").stringValue(),
                        response.data("login").path("refreshToken").stringValue()));
            }
            for (int round = 0; round < Integer.getInteger("contention.rounds", 5); round++) {
                var start = new CountDownLatch(1);
                List<Future<LambdaResponse>> futures = new ArrayList<>();
                for (TokenPair pair : pairs) {
                    futures.add(sessionPool.submit(() -> {
                        start.await();
                        // Only the refresh token: every request rotates its own session.
                        return lambda.invoke(Event.load("logged-in-user.json").header("x-refresh-token", pair.refreshToken()));
                    }));
                }
                start.countDown();
                List<TokenPair> next = new ArrayList<>();
                for (Future<LambdaResponse> future : futures) {
                    LambdaResponse response = future.get();
                    assertThat(response.status()).as("round %d: %s", round, response.body()).isEqualTo(200);
                    assertThat(response.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
                    next.add(new TokenPair(response.header("x-access-token"), response.header("x-refresh-token")));
                }
                assertThat(next).extracting(TokenPair::refreshToken).doesNotContainNull().doesNotHaveDuplicates();
                pairs = next;
            }
        } finally {
            sessionPool.shutdownNow();
        }
    }

    /** Runs {@code count} calls at once (as far as the pool allows) and returns their results in order. */
    private <T> List<T> all(int count, Callable<T> call) throws Exception {
        var start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return call.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    /** The login of events/login.json, which asks for no device token. */
    private LambdaResponse plainLogin(String name, String password) {
        return lambda.invoke(Event.load("login.json").variables(credentials(name, password)));
    }

    private LambdaResponse login(String name, String password, String deviceToken) {
        var variables = new HashMap<String, Object>(credentials(name, password));
        variables.put("deviceToken", deviceToken);
        return lambda.invoke(Event.load("login.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", LOGIN, "variables", variables))));
    }

    private TokenPair register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return new TokenPair(response.data("register").path("accessToken").stringValue(),
                response.data("register").path("refreshToken").stringValue());
    }

    private LambdaResponse register(String address, String name) {
        return lambda.invoke(Event.load("register.json").sourceIp(address).variables(credentials(name, PASSWORD)));
    }
}
