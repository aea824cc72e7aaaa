package dev.tokenauth;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records the AWS SDK calls one thread makes, and holds one of them while something else runs, as {@code service:operation} (e.g. {@code DynamoDb:GetItem}). Registered for every SDK client
 * of the tests through {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so
 * it sees the calls the real handler makes; a Lambda invocation runs on the caller's thread.
 */
public final class DynamoCalls implements ExecutionInterceptor {

    private static final ThreadLocal<List<String>> RECORDING = new ThreadLocal<>();
    private static final ThreadLocal<java.util.Map<String, Runnable>> HOLDS =
            ThreadLocal.withInitial(java.util.HashMap::new);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        Runnable hold = HOLDS.get().remove(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        if (hold != null) {
            hold.run();
        }
        List<String> calls = RECORDING.get();
        if (calls != null) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
    }

    /**
     * Runs {@code action} once, just before this thread's next call of {@code operation} (e.g.
     * {@code UpdateItem}) is sent: a race held between a read and its conditional write.
     */
    public static void beforeNext(String operation, Runnable action) {
        HOLDS.get().put(operation, action);
    }

    /** The SDK calls {@code action} made on this thread, in order. */
    public static List<String> during(Runnable action) {
        var calls = new ArrayList<String>();
        RECORDING.set(calls);
        try {
            action.run();
        } finally {
            RECORDING.remove();
        }
        return calls;
    }
}
