package dev.tokenauth.ops;

import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import org.slf4j.MDC;
import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.messaging.Message;

/**
 * The Lambda function as registered: the handler, with the invocation's Lambda request id on every
 * log line it writes (MDC), and a {@link Metrics#SERVER_ERRORS} count for each answer of 500 or
 * more, taken where the status is final. Spring Cloud Function hands the Lambda context in a
 * message header, which is why the function takes the message rather than its bytes.
 */
public final class ObservedFunction implements Function<Message<byte[]>, APIGatewayProxyResponseEvent> {

    private final Function<byte[], APIGatewayProxyResponseEvent> handler;
    private final Metrics metrics;

    public ObservedFunction(Function<byte[], APIGatewayProxyResponseEvent> handler, Metrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
    }

    @Override
    public APIGatewayProxyResponseEvent apply(Message<byte[]> message) {
        boolean tagged = false;
        if (message.getHeaders().get(AWSLambdaUtils.AWS_CONTEXT) instanceof Context context
                && context.getAwsRequestId() != null) {
            MDC.put(SecurityEventLog.AWS_REQUEST_ID, context.getAwsRequestId());
            tagged = true;
        }
        try {
            APIGatewayProxyResponseEvent response = handler.apply(message.getPayload());
            if (response != null && response.getStatusCode() != null && response.getStatusCode() >= 500) {
                metrics.count(Metrics.SERVER_ERRORS);
            }
            return response;
        } finally {
            if (tagged) {
                MDC.remove(SecurityEventLog.AWS_REQUEST_ID);
            }
        }
    }
}
