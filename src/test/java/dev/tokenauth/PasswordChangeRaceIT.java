package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * Logins with the old password racing a password change, through the deployed handler against
 * the real DynamoDB server, many at once as several Lambda environments would serve them: no
 * session obtained with the old password survives the change, whenever its login answered, a
 * login's hash upgrade never writes the old password's hash over the new one, and the logins
 * cannot stop the owner's change: its password check never fails, and the login before it (the
 * name's budget) succeeds within {@link #OWNER_TRIES} tries.
 */
class PasswordChangeRaceIT {

    private static final String OLD_PASSWORD = "correct horse battery staple";
    private static final String NEW_PASSWORD = "a much better passphrase";
    private static final String CHANGE_PASSWORD = "mutation($old: String!, $new: String!) { "
            + "changePassword(oldPassword: $old, newPassword: $new) { accessToken refreshToken } }";
    private static final int ROUNDS = Integer.getInteger("race.rounds", 6);
    /**
     * Enough logins in flight that MAX_SESSIONS (10) newer sessions arrive during the change's two
     * BCrypt computations, evicting the owner's, and that a session write lands between any read
     * and write of the change: neither may stop the owner.
     */
    private static final int ATTACKERS = Integer.getInteger("race.attackers", 6);
    /** Logins each attacker starts after the change has answered, before it stops. */
    private static final int LOGINS_AFTER_CHANGE = 2;
    private static final int MAX_LOGINS_PER_ATTACKER = 300;
    /**
     * The owner's change is conditional only on the checked hash, so logins neither evict it nor
     * outrun it; a retry is left for a moment's lock by the attackers' counted attempts.
     */
    private static final int OWNER_TRIES = 3;
    /** Only a bound: the attackers stop at it, and an owner who has not changed the password by then fails the round. */
    private static final Duration ROUND_LIMIT = Duration.ofSeconds(60);

    private final LambdaHarness lambda = LambdaHarness.get();
    private final ExecutorService pool = Executors.newFixedThreadPool(ATTACKERS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void noSessionALoginObtainedWithTheOldPasswordSurvivesTheChangeItRaced() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            // The change starts once the attackers hold sessions, while more of their logins are in
            // flight; a round in which none of them answered during the change is run again.
            Race race = null;
            String name = null;
            for (int attempt = 0; attempt < 3 && (race == null || race.answeredDuringOrAfterChange() == 0); attempt++) {
                name = uniqueName();
                register(name);
                race = race(name, null, ATTACKERS);
                report("sessions", round, race);
            }
            assertRaced(round, race);
            assertThat(race.oldPasswordPairs()).as("pairs obtained with the old password").isNotEmpty();

            assertEveryOldPasswordPairIsDead(race);
            assertOnlyTheNewPasswordLogsIn(name, race);
        }
    }

    /**
     * The upgrade race made to happen: a login with the old password, whose hash it is about to
     * upgrade, is held just before its write while the whole change runs; its write must then lose
     * its condition, and the hash it checks again is the new one.
     */
    @Test
    void aLoginHeldBeforeItsHashUpgradeWhileThePasswordChangesGetsNoPairAndWritesNothing() {
        String name = uniqueName();
        TokenPair registered = register(name);
        storeHash(name, BCrypt.hashpw(OLD_PASSWORD, BCrypt.gensalt(4)));
        boolean[] held = new boolean[1];
        DynamoCalls.beforeNext("UpdateItem", () -> {
            held[0] = true;
            try {
                LambdaResponse changed = pool.submit(() -> changePassword(registered)).get();
                assertThat(changed.firstErrorCode()).as(changed.body()).isNull();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        LambdaResponse[] login = new LambdaResponse[1];
        List<String> calls = DynamoCalls.during(() -> login[0] = login(name, OLD_PASSWORD));

        assertThat(held[0]).as("the change ran between the login's check and its write").isTrue();
        assertThat(calls).as("the login's write lost its condition, and it read the user again")
                .containsSubsequence("DynamoDb:UpdateItem", "DynamoDb:GetItem");
        assertThat(login[0].firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(pair(login[0].data("login"))).isNull();
        String stored = storedHash(name);
        assertThat(BCrypt.checkpw(NEW_PASSWORD, stored)).isTrue();
        assertThat(BCrypt.checkpw(OLD_PASSWORD, stored)).isFalse();
    }

    @Test
    void aLoginsHashUpgradeRacingTheChangeNeverWritesTheOldPasswordsHash() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            String name = uniqueName();
            TokenPair registered = register(name);
            // A hash below BCRYPT_COST (10): the attackers' first logins upgrade it between their check and their write.
            storeHash(name, BCrypt.hashpw(OLD_PASSWORD, BCrypt.gensalt(4)));
            // The change starts with the attackers, while their upgrades are being hashed.
            Race race = race(name, registered, 0);
            report("upgrade", round, race);

            String stored = storedHash(name);
            assertThat(BCrypt.checkpw(NEW_PASSWORD, stored)).as("round %d: the stored hash verifies the new password", round)
                    .isTrue();
            assertThat(BCrypt.checkpw(OLD_PASSWORD, stored)).as("round %d: the stored hash verifies the old password", round)
                    .isFalse();
            assertEveryOldPasswordPairIsDead(race);
            assertOnlyTheNewPasswordLogsIn(name, race);
        }
    }

    /** What one round produced; counts are for the report only, never part of the verdict. */
    private record Race(List<TokenPair> oldPasswordPairs, TokenPair changed, List<LambdaResponse> loginsAfterChange,
                        int answeredDuringOrAfterChange, List<String> ownerFailures, long millis) {
    }

    /**
     * {@link #ATTACKERS} threads log in with the old password in a loop, each request from an
     * address of its own; the owner changes the password (with {@code ownerSession}, or a session
     * of a fresh login) once the attackers hold {@code pairsBeforeChange} pairs; when the change
     * has answered, each attacker starts {@link #LOGINS_AFTER_CHANGE} more logins and stops.
     */
    private Race race(String name, TokenPair ownerSession, int pairsBeforeChange) throws Exception {
        long started = System.nanoTime();
        long deadline = started + ROUND_LIMIT.toNanos();
        Queue<TokenPair> oldPasswordPairs = new ConcurrentLinkedQueue<>();
        Queue<LambdaResponse> loginsAfterChange = new ConcurrentLinkedQueue<>();
        var changing = new AtomicBoolean();
        var changed = new AtomicBoolean();
        var answeredDuringOrAfterChange = new AtomicInteger();
        var start = new CountDownLatch(1);
        var enoughPairs = new CountDownLatch(pairsBeforeChange);
        var done = new CountDownLatch(ATTACKERS);

        List<Future<?>> attackers = new ArrayList<>();
        for (int i = 0; i < ATTACKERS; i++) {
            attackers.add(pool.submit(() -> {
                start.await();
                int afterChange = 0;
                try {
                    for (int n = 0; n < MAX_LOGINS_PER_ATTACKER && afterChange < LOGINS_AFTER_CHANGE
                            && System.nanoTime() < deadline; n++) {
                        boolean startedAfterChange = changed.get();
                        LambdaResponse response = login(name, OLD_PASSWORD);
                        TokenPair pair = pair(response.data("login"));
                        if (pair != null) {
                            oldPasswordPairs.add(pair);
                            enoughPairs.countDown();
                            if (changing.get()) {
                                answeredDuringOrAfterChange.incrementAndGet();
                            }
                        }
                        if (startedAfterChange) {
                            loginsAfterChange.add(response);
                            afterChange++;
                        }
                    }
                } finally {
                    done.countDown();
                }
                return null;
            }));
        }
        start.countDown();
        enoughPairs.await(remaining(deadline), TimeUnit.NANOSECONDS);

        TokenPair session = ownerSession;
        TokenPair fresh = null;
        int tries = 0;
        List<String> ownerFailures = new ArrayList<>();
        while (fresh == null && tries < OWNER_TRIES && System.nanoTime() < deadline) {
            tries++;
            if (session == null) {
                LambdaResponse login = login(name, OLD_PASSWORD);
                session = pair(login.data("login"));
                if (session == null) {
                    ownerFailures.add("login " + login.firstErrorCode());
                    pause();
                    continue;
                }
                oldPasswordPairs.add(session);
            }
            changing.set(true);
            LambdaResponse response = changePassword(session);
            fresh = pair(response.data("changePassword"));
            // The owner's session checks on its own budget: the attackers' attempts on the name,
            // their evicting the owner's session or writing before the change must not stop it.
            assertThat(response.firstErrorCode()).as("owner's try %d: %s", tries, response.body()).isNull();
        }
        changed.set(true);
        done.await(remaining(deadline), TimeUnit.NANOSECONDS);
        for (Future<?> attacker : attackers) {
            attacker.get(remaining(deadline) + TimeUnit.SECONDS.toNanos(10), TimeUnit.NANOSECONDS);
        }
        if (fresh == null) {
            fail("the owner's changePassword did not succeed in %d tries: %s", tries, ownerFailures);
        }
        return new Race(List.copyOf(oldPasswordPairs), fresh, List.copyOf(loginsAfterChange),
                answeredDuringOrAfterChange.get(), ownerFailures, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * The round raced: an attacker's login with the old password answered with a pair while the
     * owner's change was in flight, so the change had a concurrent login to defeat, and logins
     * started after it answered were refused.
     */
    private static void assertRaced(int round, Race race) {
        assertThat(race.answeredDuringOrAfterChange()).as("round %d: old-password pairs obtained while the change ran", round)
                .isPositive();
        assertThat(race.loginsAfterChange()).as("round %d: logins started after the change", round).isNotEmpty();
    }

    private void assertEveryOldPasswordPairIsDead(Race race) {
        for (LambdaResponse response : race.loginsAfterChange()) {
            assertThat(pair(response.data("login"))).as("a login started after the change answered: %s", response.body())
                    .isNull();
        }
        int index = 0;
        for (TokenPair pair : race.oldPasswordPairs()) {
            index++;
            LambdaResponse access = loggedInUser("x-access-token", pair.accessToken());
            assertThat(access.firstErrorCode()).as("access token of old-password pair %d of %d: %s", index,
                    race.oldPasswordPairs().size(), access.body()).isEqualTo("UNAUTHENTICATED");
            LambdaResponse refresh = loggedInUser("x-refresh-token", pair.refreshToken());
            assertThat(refresh.firstErrorCode()).as("refresh token of old-password pair %d of %d: %s", index,
                    race.oldPasswordPairs().size(), refresh.body()).isEqualTo("UNAUTHENTICATED");
            assertThat(refresh.header("x-refresh-token")).as("a new pair for old-password pair %d", index).isNull();
        }
    }

    private void assertOnlyTheNewPasswordLogsIn(String name, Race race) {
        LambdaResponse owner = loggedInUser("x-access-token", race.changed().accessToken());
        assertThat(owner.data("loggedInUser").path("username").stringValue()).as(owner.body()).isEqualTo(name);
        LambdaResponse refreshed = loggedInUser("x-refresh-token", race.changed().refreshToken());
        assertThat(refreshed.firstErrorCode()).as(refreshed.body()).isNull();
        assertThat(refreshed.header("x-refresh-token")).isNotBlank();

        // The attackers' failures after the change may have locked the name, which only refuses;
        // the lock is not under test here, so its counter goes and each login gets its password checked.
        lambda.dynamo.deleteItem(request -> request.tableName(lambda.table)
                .key(Map.of("username", AttributeValue.fromS("login-attempts#" + name))));
        assertThat(login(name, OLD_PASSWORD).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        LambdaResponse withNew = login(name, NEW_PASSWORD);
        assertThat(withNew.firstErrorCode()).as(withNew.body()).isNull();
        assertThat(pair(withNew.data("login"))).isNotNull();
    }

    private static void report(String test, int round, Race race) {
        System.out.printf("PasswordChangeRaceIT %s round %d: %d old-password pairs, %d of them answered once the "
                        + "change was sent, %d logins after it answered, owner's failed tries %s, %d ms%n", test, round,
                race.oldPasswordPairs().size(), race.answeredDuringOrAfterChange(), race.loginsAfterChange().size(),
                race.ownerFailures(), race.millis());
    }

    private LambdaResponse login(String name, String password) {
        // Event.load gives every request a source address of its own.
        return lambda.invoke(Event.load("login.json").variables(credentials(name, password)));
    }

    private LambdaResponse changePassword(TokenPair session) {
        return lambda.invoke(Event.load("logout.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", CHANGE_PASSWORD,
                        "variables", Map.of("old", OLD_PASSWORD, "new", NEW_PASSWORD))))
                .header("x-access-token", session.accessToken()));
    }

    private LambdaResponse loggedInUser(String header, String token) {
        return lambda.invoke(Event.load("logged-in-user.json").header(header, token));
    }

    private TokenPair register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, OLD_PASSWORD)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return pair(response.data("register"));
    }

    private void storeHash(String name, String hash) {
        lambda.dynamo.updateItem(request -> request.tableName(lambda.table)
                .key(Map.of("username", AttributeValue.fromS(name)))
                .updateExpression("SET passwordHash = :hash")
                .expressionAttributeValues(Map.of(":hash", AttributeValue.fromS(hash))));
    }

    private String storedHash(String name) {
        return lambda.dynamo.getItem(request -> request.tableName(lambda.table)
                .key(Map.of("username", AttributeValue.fromS(name))).consistentRead(true))
                .item().get("passwordHash").s();
    }

    /** The pair in a {@code Tokens} result, or null when the operation failed. */
    private static TokenPair pair(JsonNode tokens) {
        return tokens.isObject() ? new TokenPair(tokens.path("accessToken").stringValue(),
                tokens.path("refreshToken").stringValue()) : null;
    }

    /** Long enough for the logins in flight to finish, which lifts a lock their own attempts set. */
    private static void pause() throws InterruptedException {
        Thread.sleep(50);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
