package dev.tokenauth.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.memory.InMemoryAttemptCounters;
import dev.tokenauth.memory.MutableClock;
import org.junit.jupiter.api.Test;

class RegistrationThrottleTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    private final RegistrationThrottle throttle =
            new RegistrationThrottle(new InMemoryAttemptCounters(), 3, Duration.ofHours(1));

    @Test
    void shouldAllowTheBudgetPerAddressPerWindowAndAgainOnceTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            throttle.count("192.0.2.1", clock.instant());
            clock.advance(Duration.ofMinutes(10));
        }
        var refused = catchThrowableOfType(ApiError.class, () -> throttle.count("192.0.2.1", clock.instant()));
        assertThat(refused.code()).isEqualTo(ErrorType.REGISTRATION_THROTTLED);
        assertThat(refused.retryAfterSeconds()).contains(Duration.ofMinutes(30).toSeconds());
        assertThatCode(() -> throttle.count("192.0.2.2", clock.instant())).doesNotThrowAnyException();

        clock.advance(Duration.ofMinutes(30));
        assertThatCode(() -> throttle.count("192.0.2.1", clock.instant())).doesNotThrowAnyException();
    }
}
