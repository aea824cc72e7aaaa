package dev.tokenauth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns JMH's JSON result (sample mode, {@code -prof gc}) into the markdown table of src/bench/run. */
public final class JmhTable {

    public static void main(String[] args) throws Exception {
        JsonNode results = JsonMapper.builder().build().readTree(Files.readString(Path.of(args[0])));
        var sb = new StringBuilder();
        sb.append("Warm invocation through `FunctionInvoker.handleRequest` (JMH sample mode, 1 fork, ")
                .append("3x1 s warm-up, 5x1 s measurement; JDK ")
                .append(results.size() > 0 ? results.get(0).path("jdkVersion").asString() : "?")
                .append(", ").append(results.size() > 0 ? results.get(0).path("jvmArgs").toString() : "")
                .append(")\n\n");
        sb.append("| path | p50 | p90 | mean | allocated per invocation |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        for (JsonNode r : results) {
            String name = r.path("benchmark").asString().replaceAll(".*\\.", "");
            JsonNode primary = r.path("primaryMetric");
            JsonNode percentiles = primary.path("scorePercentiles");
            String unit = primary.path("scoreUnit").asString().replace("/op", "").replace("us", "µs");
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            sb.append(String.format(Locale.ROOT, "| %s | %.1f %s | %.1f %s | %.1f %s | %s |%n", label(name),
                    percentiles.path("50.0").asDouble(), unit, percentiles.path("90.0").asDouble(), unit,
                    primary.path("score").asDouble(), unit,
                    alloc.isMissingNode() ? "n/a" : String.format(Locale.ROOT, "%.1f KB",
                            alloc.path("score").asDouble() / 1024)));
        }
        System.out.println(sb);
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), sb.toString());
        }
    }

    private static String label(String method) {
        return switch (method) {
            case "typename" -> "`{ __typename }`, valid access token (no DynamoDB read)";
            case "loggedInUser" -> "`loggedInUser`, valid access token (1 GetItem)";
            case "refresh" -> "refresh path: expired access + valid refresh token (1 GetItem, 1 conditional UpdateItem, new pair)";
            case "badRequest" -> "rejected bad request (`events/bad-request.json`, 400)";
            default -> method;
        };
    }
}
