package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Hostile inputs that once broke the invariants of {@link HostileInputIT}, each with the bug it
 * found; kept so that the bugs stay fixed.
 */
class HostileRegressionIT {

    private static final Path KNOWN = Path.of(System.getProperty("project.basedir", "."))
            .resolve("src/test/resources/hostile-regressions");

    private final LambdaHarness lambda = LambdaHarness.get();

    /**
     * spring-cloud-function's AWS adapter treats a JSON-array body of an API Gateway event as a
     * batch of events: {@code [{"query":...}]} comes back as a JSON array of responses (404 each,
     * as the elements have no path) and {@code []} makes FunctionInvoker throw a
     * NullPointerException: through API Gateway, a 502 for a client-controlled body. The function
     * reads the raw event itself (GraphqlHttpHandler.applyRaw), so each body is one request.
     */
    @Test
    void anArrayBodyGetsOneWellFormedResponse() throws IOException {
        for (String file : new String[] {"event-batched-array.json", "event-empty-array-body.json"}) {
            String output = lambda.invokeRaw(Files.readAllBytes(KNOWN.resolve(file)));
            assertThat(Event.JSON.readTree(output).isObject()).as(file).isTrue();
            assertThat(LambdaResponse.parse(output).status()).as(file).isEqualTo(400);
        }
    }

    /**
     * A body under the size cap of 1,000 chained fragment definitions costs graphql-java's
     * validation far more CPU than the Lambda timeout allows. The parser's token limit refuses it
     * before validation.
     */
    @Test
    void chainedFragmentsAreRefusedByTheParserLimits() {
        var query = new StringBuilder("query {  __typename } ");
        for (int i = 0; i < 1_000; i++) {
            query.append("fragment f").append(i).append(" on Query { ...f").append(i + 1).append(" } ");
        }
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .body("{\"query\":" + Event.JSON.writeValueAsString(query.toString()) + "}"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.firstErrorCode()).isEqualTo("QUERY_TOO_LARGE");
    }
}
