package dev.tokenauth.account;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Holds an answer back until a fixed time after its request began, so that an answer whose work
 * was short (no such address) leaves when one whose work was long (a code stored, a mail handed to
 * SES) does. The floor must exceed the longest such work; what exceeds it shows.
 */
public final class ResponseFloor {

    /** Waits; the tests' version moves a mutable clock instead. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;

        Pause THREAD = duration -> Thread.sleep(duration.toMillis());
    }

    private final Clock clock;
    private final Duration floor;
    private final Pause pause;

    public ResponseFloor(Clock clock, Duration floor, Pause pause) {
        this.clock = clock;
        this.floor = floor;
        this.pause = pause;
    }

    public Instant start() {
        return clock.instant();
    }

    /** Returns no earlier than the floor after {@code started}. */
    public void await(Instant started) {
        Duration left = Duration.between(clock.instant(), started.plus(floor));
        if (left.isNegative() || left.isZero()) {
            return;
        }
        try {
            pause.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
