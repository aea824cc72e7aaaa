package dev.tokenauth;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records the AWS SDK calls one thread makes, as {@code service:operation} (e.g. {@code DynamoDb:GetItem}). Registered for every SDK client
 * of the tests through {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so
 * it sees the calls the real handler makes; a Lambda invocation runs on the caller's thread.
 */
public final class DynamoCalls implements ExecutionInterceptor {

    private static final ThreadLocal<List<String>> RECORDING = new ThreadLocal<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        List<String> calls = RECORDING.get();
        if (calls != null) {
            calls.add(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
                    + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
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
