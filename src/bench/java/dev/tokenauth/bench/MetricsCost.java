package dev.tokenauth.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Locale;

import dev.tokenauth.ops.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * What a metrics library adds to a cold start: in a fresh JVM, with the two Jackson versions the
 * function loads anyway already loaded, the time and the classes it takes to emit the first EMF
 * count, then the time per count once warm. {@code direct} is {@link Metrics}; {@code powertools}
 * is Powertools for AWS Lambda (Java) v2 metrics. src/bench/run metrics alternates the two.
 */
public final class MetricsCost {

    public static void main(String[] args) {
        String mode = args[0];
        PrintStream report = System.err;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        // Loaded by the function anyway: Jackson 3 (Spring Cloud Function) and Jackson 2 (java-jwt).
        tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(java.util.Map.of("a", 1));
        new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(java.util.Map.of("a", 1));

        var classes = ManagementFactory.getClassLoadingMXBean();
        int loadedBefore = classes.getLoadedClassCount();
        long start = System.nanoTime();
        Runnable emit = emitter(mode);
        emit.run();
        long first = System.nanoTime() - start;
        int loadedBy = classes.getLoadedClassCount() - loadedBefore;
        int warm = 20_000;
        long warmStart = System.nanoTime();
        for (int i = 0; i < warm; i++) {
            emit.run();
        }
        long perCount = (System.nanoTime() - warmStart) / warm;
        report.printf(Locale.ROOT, "RESULT %s first=%.1f ms classes=%d warm=%.1f us%n", mode, first / 1e6, loadedBy,
                perCount / 1e3);
    }

    private static Runnable emitter(String mode) {
        if (mode.equals("direct")) {
            var metrics = new Metrics("TokenAuthBench", Clock.systemUTC(), line -> System.out.println(line));
            return () -> metrics.count(Metrics.SERVER_ERRORS);
        }
        var metrics = MetricsFactory.getMetricsInstance();
        var dimensions = DimensionSet.of(Metrics.SERVICE_DIMENSION, Metrics.SERVICE);
        return () -> metrics.flushSingleMetric(Metrics.SERVER_ERRORS, 1, MetricUnit.COUNT, "TokenAuthBench", dimensions);
    }
}
