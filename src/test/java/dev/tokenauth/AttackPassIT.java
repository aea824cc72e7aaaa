package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;

/**
 * Requests found by an attack pass on the HTTP and GraphQL layers, each refused through the real
 * FunctionInvoker: a mutation over GET, password checks batched in one operation, Java internals
 * in error messages, header copies differing in case, and extensions that are not an object.
 */
class AttackPassIT {

    private static final String PASSWORD = "correct horse battery staple";
    /** What no error message may show: Java types, packages, the parser generator. */
    static final List<String> INTERNALS = List.of("java.", "Linked", "ArrayList", "BigInteger", "BigDecimal",
            "HashMap", "ANTLR", "Exception", "graphql.", "tools.jackson");

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void aGetWithAnEmptyOperationNameCannotRunAMutation() {
        String name = uniqueName();
        String mutation = "mutation { register(username: \"" + name + "\", password: \"" + PASSWORD + "\") { accessToken } }";
        for (String operationName : new String[] {"", null}) {
            Event event = Event.load("logged-in-user-get.json").queryParameter("query", mutation);
            if (operationName != null) {
                event.queryParameter("operationName", operationName);
            }
            LambdaResponse response = lambda.invoke(event);
            assertThat(response.status()).as("operationName %s", operationName).isEqualTo(405);
            assertThat(response.header("Allow")).isEqualTo("POST");
            assertThat(response.firstErrorCode()).isEqualTo("METHOD_NOT_ALLOWED");
        }
        assertThat(lambda.users().findByUsername(name)).as("no account created over GET").isEmpty();
    }

    @Test
    void aGetNamingAMutationAmongSeveralOperationsIsRefused() {
        String name = uniqueName();
        String document = "query Q { __typename } mutation M { register(username: \"" + name + "\", password: \""
                + PASSWORD + "\") { accessToken } }";
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user-get.json")
                .queryParameter("query", document).queryParameter("operationName", "M"));
        assertThat(response.status()).isEqualTo(405);
        assertThat(lambda.users().findByUsername(name)).isEmpty();

        LambdaResponse query = lambda.invoke(Event.load("logged-in-user-get.json")
                .queryParameter("query", document).queryParameter("operationName", "Q"));
        assertThat(query.status()).isEqualTo(200);
        assertThat(query.data("__typename").stringValue()).isEqualTo("Query");
    }

    @Test
    void oneOperationChecksAtMostOnePassword() {
        String name = uniqueName();
        lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        Map<String, String> batches = new LinkedHashMap<>();
        batches.put("two aliased logins", "mutation { a: login(username: \"" + name + "\", password: \"guess-one-1\") "
                + "{ __typename } b: login(username: \"" + name + "\", password: \"guess-two-2\") { __typename } }");
        batches.put("a login in a fragment and one outside", "mutation { ...F b: login(username: \"" + name
                + "\", password: \"guess-two-2\") { __typename } } fragment F on Mutation { a: login(username: \""
                + name + "\", password: \"guess-one-1\") { __typename } }");
        batches.put("register and login", "mutation { a: register(username: \"" + uniqueName()
                + "\", password: \"guess-one-1\") { __typename } b: login(username: \"" + name
                + "\", password: \"guess-two-2\") { __typename } }");
        batches.forEach((kind, document) -> {
            LambdaResponse response = lambda.invoke(Event.load("login.json")
                    .body(Event.JSON.writeValueAsString(Map.of("query", document))));
            assertThat(response.status()).as(kind).isEqualTo(400);
            assertThat(response.firstErrorCode()).as(kind).isEqualTo("TOO_MANY_PASSWORD_CHECKS");
            assertThat(response.json().has("data")).as(kind).isFalse();
        });
        assertThat(lambda.dynamo.getItem(r -> r.tableName(lambda.table)
                .key(Map.of("username", AttributeValue.fromS("login-attempts#" + name)))).hasItem())
                .as("no password was checked, so no failure was counted").isFalse();
    }

    @Test
    void wronglyTypedVariablesAreDescribedInTheApisOwnWords() {
        Map<String, Object> wrong = new LinkedHashMap<>();
        wrong.put("an object", Map.of("$ne", ""));
        wrong.put("a list", List.of("a", "b"));
        wrong.put("a big integer", new java.math.BigInteger("123456789012345678901234567890"));
        wrong.put("a number", 12);
        wrong.put("a boolean", true);
        wrong.forEach((kind, password) -> {
            var variables = new LinkedHashMap<String, Object>(credentials(uniqueName(), PASSWORD));
            variables.put("password", password);
            LambdaResponse response = lambda.invoke(Event.load("login.json").variables(variables));
            JsonNode error = response.json().path("errors").path(0);
            assertThat(error.path("message").stringValue()).as(kind).isEqualTo("Variable 'password' must be a String");
            assertThat(error.path("extensions").path("code").stringValue()).as(kind).isEqualTo("BAD_USER_INPUT");
            assertThat(error.path("locations").path(0).path("line").asInt()).as(kind).isEqualTo(1);
            assertThat(response.body()).as(kind).doesNotContain(INTERNALS);
        });
        var missing = new LinkedHashMap<String, Object>();
        missing.put("username", uniqueName());
        missing.put("password", null);
        LambdaResponse response = lambda.invoke(Event.load("login.json").variables(missing));
        assertThat(response.json().path("errors").path(0).path("message").stringValue())
                .isEqualTo("Variable 'password' must not be null");
    }

    @Test
    void syntaxErrorsNameALineAndColumnAndNoParserInternals() {
        Map<String, String> documents = Map.of(
                "unclosed selection", "{ loggedInUser { ",
                "stray quote", "{ '",
                "bad token", "query { a ~ }",
                "unterminated string", "{ login(username: \"abc) }");
        documents.forEach((kind, document) -> {
            LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                    .body(Event.JSON.writeValueAsString(Map.of("query", document))));
            JsonNode error = response.json().path("errors").path(0);
            assertThat(error.path("message").stringValue()).as(kind)
                    .matches("Syntax error at line \\d+, column \\d+");
            assertThat(error.path("extensions").path("code").stringValue()).as(kind).isEqualTo("GRAPHQL_PARSE_FAILED");
            assertThat(error.path("locations").path(0).path("line").isInt()).as(kind).isTrue();
            assertThat(response.body()).as(kind).doesNotContain(INTERNALS);
        });
    }

    @Test
    void headerCopiesThatDifferOnlyInCaseMustAgree() {
        Map<String, Event> conflicting = new LinkedHashMap<>();
        conflicting.put("single-value map", Event.load("logged-in-user.json")
                .rawHeader("headers", "X-Access-Token", "one").rawHeader("headers", "x-access-token", "two"));
        conflicting.put("multi-value map", Event.load("logged-in-user.json")
                .rawHeaders("multiValueHeaders", "X-Access-Token", "one")
                .rawHeaders("multiValueHeaders", "x-access-token", "two"));
        conflicting.put("across the maps", Event.load("logged-in-user.json")
                .rawHeader("headers", "X-Refresh-Token", "one")
                .rawHeaders("multiValueHeaders", "x-refresh-token", "two"));
        conflicting.forEach((kind, event) -> {
            LambdaResponse response = lambda.invoke(event);
            assertThat(response.status()).as(kind).isEqualTo(400);
            assertThat(response.firstErrorCode()).as(kind).isEqualTo("BAD_REQUEST");
        });
        LambdaResponse agreeing = lambda.invoke(Event.load("logged-in-user.json")
                .rawHeader("headers", "X-Access-Token", "same").rawHeaders("multiValueHeaders", "x-access-token", "same"));
        assertThat(agreeing.status()).isEqualTo(200);
    }

    @Test
    void extensionsMustBeAJsonObject() {
        for (String extensions : List.of("\"text\"", "[1]", "42", "true")) {
            LambdaResponse post = lambda.invoke(Event.load("logged-in-user.json")
                    .body("{\"query\":\"{ __typename }\",\"extensions\":" + extensions + "}"));
            assertThat(post.status()).as("POST extensions %s", extensions).isEqualTo(400);
            assertThat(post.firstErrorCode()).isEqualTo("BAD_REQUEST");
            LambdaResponse get = lambda.invoke(Event.load("logged-in-user-get.json")
                    .queryParameter("extensions", extensions));
            assertThat(get.status()).as("GET extensions %s", extensions).isEqualTo(400);
        }
        LambdaResponse notJson = lambda.invoke(Event.load("logged-in-user-get.json").queryParameter("extensions", "{"));
        assertThat(notJson.status()).isEqualTo(400);
        LambdaResponse object = lambda.invoke(Event.load("logged-in-user.json")
                .body("{\"query\":\"{ __typename }\",\"extensions\":{\"persistedQuery\":null}}"));
        assertThat(object.status()).isEqualTo(200);
        LambdaResponse getObject = lambda.invoke(Event.load("logged-in-user-get.json").queryParameter("extensions", "{}"));
        assertThat(getObject.status()).isEqualTo(200);
    }
}
