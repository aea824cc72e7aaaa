package dev.tokenauth.memory;

/**
 * In-memory users where another request commits just before each write of one thread: a stream
 * of concurrent writes that lands between every read and write that thread makes.
 */
public final class InterleavedUsers extends InMemoryUsers {

    private volatile Thread target;
    private volatile Runnable meanwhile = () -> { };
    /** Only the target thread reads and sets it: the interleaved request's own writes pass straight through. */
    private boolean interleaving;

    /** Runs {@code commit} before each write {@code thread} makes from now on. */
    public void beforeEachWriteOf(Thread thread, Runnable commit) {
        this.meanwhile = commit;
        this.target = thread;
    }

    @Override
    protected void beforeWrite() {
        if (Thread.currentThread() == target && !interleaving) {
            interleaving = true;
            try {
                meanwhile.run();
            } finally {
                interleaving = false;
            }
        }
    }
}
