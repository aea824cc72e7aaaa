package dev.tokenauth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.InMemoryAttemptCounters;
import dev.tokenauth.memory.MutableClock;
import dev.tokenauth.user.AttemptCounters;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    private final InMemoryAttemptCounters counters = new InMemoryAttemptCounters();
    private final LoginThrottle throttle = new LoginThrottle(counters, LoginBackoff.DEFAULT);
    private final LoginThrottle.Budget ada = LoginThrottle.Budget.ofName("ada");

    @Test
    void shouldLetTheFreeAttemptsThroughAndLockAfterThemForDoublingTimes() {
        for (int i = 0; i < 5; i++) {
            count();
        }
        assertThat(lockSeconds()).isEqualTo(5);
        clock.advance(Duration.ofSeconds(4));
        assertThat(lockSeconds()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        count();
        assertThat(lockSeconds()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(10));
        count();
        assertThat(lockSeconds()).isEqualTo(20);
    }

    @Test
    void shouldNotCountAttemptsMadeDuringALock() {
        for (int i = 0; i < 5; i++) {
            count();
        }
        for (int i = 0; i < 10; i++) {
            lockSeconds();
        }
        assertThat(counters.stored.get(ada.key()).count()).isEqualTo(5);
    }

    @Test
    void shouldCapTheLockAtTheMaximum() {
        var capped = new LoginThrottle(counters, new LoginBackoff(1, Duration.ofSeconds(60)));
        for (int i = 0; i < 12; i++) {
            capped.count(ada, clock.instant());
            clock.advance(Duration.ofSeconds(60));
        }
        capped.count(ada, clock.instant());
        var locked = catchThrowableOfType(ApiError.class, () -> capped.count(ada, clock.instant()));
        assertThat(locked.retryAfterSeconds()).contains(60L);
    }

    @Test
    void shouldTreatACounterPastItsExpiryAsAbsentThoughTheStoreStillHoldsIt() {
        Instant now = clock.instant();
        // Locked for another hour, but lapsed a second ago: DynamoDB removes such items days later.
        counters.stored.put(ada.key(), new AttemptCounters.Counter(40, now.plus(Duration.ofHours(1)), now.minusSeconds(1)));
        for (int i = 0; i < 4; i++) {
            count();
        }
        assertThat(counters.stored.get(ada.key()).count()).isEqualTo(4);
    }

    @Test
    void shouldForgetTheMemoryOfAnOldCounterOnItsOwn() {
        for (int i = 0; i < 7; i++) {
            count();
            clock.advance(Duration.ofMinutes(1));
        }
        clock.advance(LoginBackoff.DEFAULT.memory());
        count();
        assertThat(counters.stored.get(ada.key()).count()).isEqualTo(1);
    }

    @Test
    void shouldForgetAttemptsOnReset() {
        for (int i = 0; i < 5; i++) {
            count();
        }
        throttle.reset(ada);
        assertThatCode(this::count).doesNotThrowAnyException();
    }

    @Test
    void shouldLetOnlyTheFreeAttemptsThroughWhenManyArriveAtOnce() throws Exception {
        var pool = Executors.newFixedThreadPool(16);
        var start = new CountDownLatch(1);
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            attempts.add(() -> {
                start.await();
                try {
                    throttle.count(ada, clock.instant());
                    return true;
                } catch (ApiError e) {
                    return false;
                }
            });
        }
        List<Future<Boolean>> results = new ArrayList<>();
        for (var attempt : attempts) {
            results.add(pool.submit(attempt));
        }
        start.countDown();
        int passed = 0;
        for (var result : results) {
            passed += result.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(passed).isEqualTo(5);
    }

    private void count() {
        throttle.count(ada, clock.instant());
    }

    /** The lock an attempt now runs into, in seconds. */
    private long lockSeconds() {
        var locked = catchThrowableOfType(ApiError.class, this::count);
        assertThat(locked).isNotNull();
        assertThat(locked.code()).isEqualTo(ErrorType.LOGIN_THROTTLED);
        return locked.retryAfterSeconds().orElseThrow();
    }
}
