package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;

/**
 * How many DynamoDB calls each operation makes, counted on the real handler through
 * FunctionInvoker: the caller a request authenticates travels with it, so a live check after a
 * refresh reads nothing more. The table in docs/performance.md lists these counts.
 */
class CallCountIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String READ = "DynamoDb:GetItem";
    private static final String WRITE = "DynamoDb:UpdateItem";
    private static final String PUT = "DynamoDb:PutItem";
    private static final String DELETE = "DynamoDb:DeleteItem";

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void anAccessTokenIsTrustedWithoutARead() {
        TokenPair pair = register();
        assertThat(calls(query("{ __typename }").header("x-access-token", pair.accessToken()))).isEmpty();
    }

    @Test
    void liveFieldsShareOneReadPerRequest() {
        TokenPair pair = register();
        assertThat(calls(query("{ loggedInUser { id } sessions { id } }").header("x-access-token", pair.accessToken())))
                .containsExactly(READ);
    }

    @Test
    void aRefreshWithLiveFieldsCostsOneReadAndOneWrite() {
        TokenPair pair = register();
        assertThat(calls(query("{ loggedInUser { id } sessions { id } }").header("x-refresh-token", pair.refreshToken())))
                .containsExactly(READ, WRITE);
    }

    @Test
    void theSelfServiceOperationsUseTheUserAuthenticationRead() {
        TokenPair pair = register();
        assertThat(calls(query("mutation { logout }").header("x-refresh-token", pair.refreshToken())))
                .as("refresh, then the logout's write on the item the refresh wrote").containsExactly(READ, WRITE, WRITE);

        TokenPair other = register();
        String sessionId = com.auth0.jwt.JWT.decode(other.accessToken()).getClaim("sid").asString();
        assertThat(calls(query("mutation ($id: ID!) { revokeSession(id: $id) }", Map.of("id", sessionId))
                .header("x-access-token", other.accessToken())))
                .containsExactly(READ, WRITE);

        TokenPair deleting = register();
        List<String> deletion = calls(query("mutation ($p: String!) { deleteAccount(password: $p) }", Map.of("p", PASSWORD))
                .header("x-refresh-token", deleting.refreshToken()));
        assertThat(deletion).as("refresh; the password check's counter, counted then reset; the passkeys item; "
                + "the notes module's data; the user item; the failure budgets of the name and of the one session")
                .containsExactly(READ, WRITE, PUT, DELETE, DELETE, "DynamoDb:Query", DELETE, DELETE, DELETE);
    }

    @Test
    void theAccountOperationsCallAsDocumented() {
        String name = "calls-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(DynamoCalls.during(() -> lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", PASSWORD)))))
                .as("the source's registration counter, the new user").containsExactly(PUT, PUT);
        var login = new LambdaResponse[1];
        assertThat(DynamoCalls.during(() -> login[0] = lambda.invoke(Event.load("login.json")
                .variables(Map.of("username", name, "password", PASSWORD)))))
                .as("the user, the attempt counted, the counter reset, the new session").containsExactly(READ, PUT, DELETE, WRITE);
        String access = login[0].data("login").path("accessToken").stringValue();
        assertThat(DynamoCalls.during(() -> lambda.invoke(query(
                "mutation ($o: String!, $n: String!) { changePassword(oldPassword: $o, newPassword: $n) { accessToken } }",
                Map.of("o", PASSWORD, "n", PASSWORD + "!")).header("x-access-token", access))))
                .as("the user, the check counted and reset, the new hash and session").containsExactly(READ, PUT, DELETE, WRITE);

        String other = "calls-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(DynamoCalls.during(() -> lambda.invoke(Event.load("login.json")
                .variables(Map.of("username", other, "password", "not the password")))))
                .as("a failed login: the (absent) user, the attempt counted").containsExactly(READ, PUT);
    }

    private List<String> calls(Event event) {
        var response = new LambdaResponse[1];
        List<String> calls = DynamoCalls.during(() -> response[0] = lambda.invoke(event));
        assertThat(response[0].json().path("errors").isMissingNode()).as(response[0].body()).isTrue();
        return calls;
    }

    private static Event query(String query) {
        return query(query, Map.of());
    }

    private static Event query(String query, Map<String, Object> variables) {
        return Event.load("logged-in-user.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", query, "variables", variables)));
    }

    private TokenPair register() {
        LambdaResponse response = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", "calls-" + UUID.randomUUID().toString().substring(0, 8), "password", PASSWORD)));
        return new TokenPair(response.data("register").path("accessToken").stringValue(),
                response.data("register").path("refreshToken").stringValue());
    }
}
