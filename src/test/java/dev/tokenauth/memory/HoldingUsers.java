package dev.tokenauth.memory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * In-memory users that can hold one thread at its next write: the point between the check an
 * operation made and the write that relies on it, where another request may commit.
 */
public final class HoldingUsers extends InMemoryUsers {

    private volatile Thread held;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** The next write of {@code thread} waits for {@link #release()}. */
    public void holdNextWriteOf(Thread thread) {
        this.held = thread;
    }

    /** Waits until the held thread is at its write. */
    public void awaitHeld() throws InterruptedException {
        if (!reached.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the held operation never reached its write");
        }
    }

    public void release() {
        release.countDown();
    }

    @Override
    protected void beforeWrite() {
        if (Thread.currentThread() == held) {
            held = null;
            reached.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
