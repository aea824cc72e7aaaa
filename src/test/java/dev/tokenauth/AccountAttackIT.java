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

        // Every attempt that was not refused as throttled had its password checked.
        assertThat(codes).filteredOn("INVALID_CREDENTIALS"::equals).hasSize(LoginBackoff.DEFAULT.freeAttempts());
        assertThat(codes).filteredOn("LOGIN_THROTTLED"::equals).hasSize(40 - LoginBackoff.DEFAULT.freeAttempts());
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
        for (int i = 0; i < limit; i++) {
            // Refused names cost no hashing, and still count.
            assertThat(register(address, "no").firstErrorCode()).isEqualTo("BAD_USER_INPUT");
        }
        LambdaResponse refused = register(address, uniqueName());
        assertThat(refused.firstErrorCode()).isEqualTo("REGISTRATION_THROTTLED");
        assertThat(refused.json().path("errors").path(0).path("extensions").path("retryAfterSeconds").asLong())
                .isBetween(1L, 3600L);
        assertThat(register("198.18.0." + ThreadLocalRandom.current().nextInt(1, 255), uniqueName()).firstErrorCode())
                .isNull();
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
