package dev.tokenauth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.tokenauth.TestLambdaContext;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

class ObservedFunctionTest {

    private final List<String> lines = new ArrayList<>();
    private final Metrics metrics = new Metrics("TokenAuthTest", Clock.systemUTC(), lines::add);

    private static Message<byte[]> message() {
        return MessageBuilder.withPayload(new byte[0])
                .setHeader(AWSLambdaUtils.AWS_CONTEXT, new TestLambdaContext("lambda-req-7"))
                .build();
    }

    @Test
    void countsAServerErrorForEach5xxAnswerAndNothingElse() {
        for (int status : List.of(200, 204, 400, 404, 500, 503)) {
            new ObservedFunction(raw -> new APIGatewayProxyResponseEvent().withStatusCode(status), metrics)
                    .apply(message());
        }
        assertThat(lines).hasSize(2).allSatisfy(line ->
                MetricsTest.assertValidEmf(MetricsTest.JSON.readTree(line), "TokenAuthTest", Metrics.SERVER_ERRORS));
    }

    @Test
    void theLambdaRequestIdIsInTheMdcDuringTheInvocationOnly() {
        var seen = new ArrayList<String>();
        new ObservedFunction(raw -> {
            seen.add(MDC.get(SecurityEventLog.AWS_REQUEST_ID));
            return new APIGatewayProxyResponseEvent().withStatusCode(200);
        }, metrics).apply(message());
        assertThat(seen).containsExactly("lambda-req-7");
        assertThat(MDC.get(SecurityEventLog.AWS_REQUEST_ID)).isNull();
    }
}
