package dev.tokenauth.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The child process of {@link ColdStartHarness}: a fresh JVM on the Lambda artifact's class path
 * (plus this class only) that does what the Lambda runtime does: construct {@link FunctionInvoker},
 * then call {@code handleRequest} with event bytes. It prints wall-clock instants (epoch ms) for
 * the parent, which noted the instant just before it started this process, and the peak RSS.
 *
 * <p>Uses nothing but the JDK, the adapter and aws-lambda-java-core, so that it loads no class the
 * deployed function would not load. Tokens stay in memory; only instants and sizes are printed.
 *
 * <p>Arguments: the events folder, and {@code register} to register the user instead of measuring.
 */
public final class ColdStartProbe {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("accessToken\\\\\":\\\\\"([A-Za-z0-9_.-]+)");

    public static void main(String[] args) throws IOException {
        Path events = Path.of(args[0]);
        boolean register = args.length > 1 && args[1].equals("register");

        var invoker = new FunctionInvoker();
        long ready = System.currentTimeMillis();

        String first = invoke(invoker, Files.readString(events.resolve(register ? "register.json" : "login.json")));
        long login = System.currentTimeMillis();
        Matcher token = ACCESS_TOKEN.matcher(first);
        if (!token.find()) {
            System.err.println("probe: no access token in the " + (register ? "register" : "login") + " response");
            System.exit(2);
        }
        if (register) {
            System.out.println("registered");
            return;
        }

        String event = withAccessToken(Files.readString(events.resolve("logged-in-user.json")), token.group(1));
        String me = invoke(invoker, event);
        long loggedInUser = System.currentTimeMillis();
        // All threads' CPU (JIT and GC included): on Lambda, below 1,769 MB a function gets less than one vCPU.
        long cpuMs = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis();
        if (!me.contains("\\\"username\\\":\\\"ada\\\"")) {
            System.err.println("probe: loggedInUser did not answer ada");
            System.exit(3);
        }
        String threadCpu = System.getProperty("probe.threadCpu");
        if (threadCpu != null) {
            writeThreadCpu(Path.of(threadCpu));
        }
        System.out.println("PROBE ready=" + ready + " login=" + login + " loggedInUser=" + loggedInUser
                + " cpuMs=" + cpuMs + " vmhwmKb=" + peakRssKb());
    }

    private static String invoke(FunctionInvoker invoker, String event) throws IOException {
        var out = new ByteArrayOutputStream();
        invoker.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, new ProbeContext());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Sets the header in both maps, as API Gateway does. */
    static String withAccessToken(String event, String token) {
        return event
                .replaceFirst("\"headers\": \\{", "\"headers\": {\"x-access-token\": \"" + token + "\",")
                .replaceFirst("\"multiValueHeaders\": \\{",
                        "\"multiValueHeaders\": {\"x-access-token\": [\"" + token + "\"],");
    }

    /**
     * For finding where the CPU goes ({@code EXTRA_FLAGS=-Dprobe.threadCpu=<file>}): appends each
     * thread's name and CPU time (utime + stime from /proc, in clock ticks) to the file.
     */
    private static void writeThreadCpu(Path file) throws IOException {
        var lines = new ArrayList<String>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String stat = Files.readString(task.resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                lines.add(name + "\t" + ticks * 10);
            }
        }
        lines.add("--");
        Files.write(file, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static final class ProbeContext implements Context {
        @Override public String getAwsRequestId() { return "00000000-0000-4000-8000-00000000c01d"; }
        @Override public String getLogGroupName() { return "/aws/lambda/token-auth-graphql"; }
        @Override public String getLogStreamName() { return "coldstart"; }
        @Override public String getFunctionName() { return "token-auth-graphql"; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:token-auth-graphql";
        }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 30_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.out.print(message); }
                @Override public void log(byte[] message) { System.out.write(message, 0, message.length); }
            };
        }
    }
}
