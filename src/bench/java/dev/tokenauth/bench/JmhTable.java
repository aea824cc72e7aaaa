package dev.tokenauth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns JMH's JSON result (sample mode, {@code -prof gc}) into the markdown table of src/bench/run. */
public final class JmhTable {

    /**
     * {@code JmhTable <result.json> [out.md]}: one result; {@code JmhTable <lambda.json>
     * <default.json> <out.md>}: the template's flags beside JMH's default JIT, path by path.
     */
    public static void main(String[] args) throws Exception {
        var json = JsonMapper.builder().build();
        JsonNode results = json.readTree(Files.readString(Path.of(args[0])));
        JsonNode other = args.length > 2 ? json.readTree(Files.readString(Path.of(args[1]))) : null;
        Path out = args.length > 2 ? Path.of(args[2]) : args.length > 1 ? Path.of(args[1]) : null;
        var sb = new StringBuilder();
        sb.append("Warm invocation through `FunctionInvoker.handleRequest` (JMH sample mode, 1 fork, ")
                .append("3x1 s warm-up, 5x1 s measurement; JDK ")
                .append(results.size() > 0 ? results.get(0).path("jdkVersion").asString() : "?")
                .append(", ").append(results.size() > 0 ? results.get(0).path("jvmArgs").toString() : "")
                .append(other != null && other.size() > 0 ? "; second column: " + other.get(0).path("jvmArgs") : "")
                .append(")\n\n");
        if (other == null) {
            sb.append("| path | p50 | p90 | mean | allocated per invocation |\n");
            sb.append("|---|---:|---:|---:|---:|\n");
        } else {
            sb.append("| path | DynamoDB calls | p50, template flags | mean, template flags | p50, JMH default "
                    + "| mean, JMH default | allocated per invocation (template flags) |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        }
        for (JsonNode r : results) {
            String name = r.path("benchmark").asString().replaceAll(".*\\.", "");
            JsonNode primary = r.path("primaryMetric");
            JsonNode percentiles = primary.path("scorePercentiles");
            String unit = primary.path("scoreUnit").asString().replace("/op", "").replace("us", "µs");
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm");
            String allocated = alloc.isMissingNode() ? "n/a"
                    : String.format(Locale.ROOT, "%.1f KB", alloc.path("score").asDouble() / 1024);
            if (other == null) {
                sb.append(String.format(Locale.ROOT, "| %s | %.1f %s | %.1f %s | %.1f %s | %s |%n", label(name),
                        percentiles.path("50.0").asDouble(), unit, percentiles.path("90.0").asDouble(), unit,
                        primary.path("score").asDouble(), unit, allocated));
                continue;
            }
            JsonNode second = null;
            for (JsonNode candidate : other) {
                if (candidate.path("benchmark").asString().equals(r.path("benchmark").asString())) {
                    second = candidate.path("primaryMetric");
                }
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f %s | %.1f %s | %s | %s | %s |%n", label(name),
                    calls(name), percentiles.path("50.0").asDouble(), unit, primary.path("score").asDouble(), unit,
                    second == null ? "n/a" : String.format(Locale.ROOT, "%.1f %s",
                            second.path("scorePercentiles").path("50.0").asDouble(), unit),
                    second == null ? "n/a" : String.format(Locale.ROOT, "%.1f %s", second.path("score").asDouble(), unit),
                    allocated));
        }
        System.out.println(sb);
        if (out != null) {
            Files.writeString(out, sb.toString());
        }
    }

    /** The DynamoDB calls of each path, as CallCountIT counts them (docs/performance.md). */
    private static String calls(String method) {
        return switch (method) {
            case "typename", "badRequest" -> "none";
            case "loggedInUser" -> "1 read (`GetItem`)";
            case "refresh" -> "1 read, 1 write (`GetItem`, conditional `UpdateItem`)";
            default -> "?";
        };
    }

    private static String label(String method) {
        return switch (method) {
            case "typename" -> "`{ __typename }`, valid access token";
            case "loggedInUser" -> "`loggedInUser`, valid access token";
            case "refresh" -> "refresh path: expired access + valid refresh token, new pair";
            case "badRequest" -> "rejected bad request (`events/bad-request.json`, 400)";
            default -> method;
        };
    }
}
