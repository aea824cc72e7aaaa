package dev.tokenauth.snapstart;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a SnapStart snapshot would hold, as the priming logs it: classes loaded (each one pages a
 * restore may fault in, and one a request need not load), heap in use, resident memory, the
 * Spring contexts started and the threads that are not daemons. A second context or a stray
 * non-daemon thread (an executor left running) is what makes a restore hang or misbehave.
 */
record CheckpointState(int loadedClasses, long heapUsedMb, long residentMb, int springContexts,
                       List<String> nonDaemonThreads) {

    static CheckpointState now(int springContexts) {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        List<String> nonDaemon = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.isDaemon() && thread.isAlive())
                .map(Thread::getName)
                .sorted()
                .toList();
        return new CheckpointState(ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(), heap >> 20,
                residentKb() >> 10, springContexts, nonDaemon);
    }

    /** VmRSS from /proc (Linux, as on Lambda); -1 elsewhere. */
    private static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: reported as unknown
        }
        return -1 << 10;
    }

    @Override
    public String toString() {
        return "loadedClasses=" + loadedClasses + " heapUsedMb=" + heapUsedMb + " residentMb=" + residentMb + " springContexts=" + springContexts
                + " nonDaemonThreads=" + nonDaemonThreads;
    }
}
