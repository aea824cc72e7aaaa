package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import dev.tokenauth.account.LoginBackoff;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;

/**
 * Whose failure budget each password check spends, through the real FunctionInvoker: a stranger's
 * guesses at a name cannot lock the owner's own session out of its password checks, a stolen
 * session still gets only a few guesses, names no account can have are counted like any other,
 * and device trust ends with the password and with a logout everywhere.
 */
class PasswordBudgetsIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String LOGIN = "mutation($username: String!, $password: String!, $deviceToken: String) { "
            + "login(username: $username, password: $password, deviceToken: $deviceToken) "
            + "{ accessToken refreshToken deviceToken } }";
    private static final String CHANGE = "mutation($old: String!, $new: String!) { "
            + "changePassword(oldPassword: $old, newPassword: $new) { accessToken refreshToken } }";
    private static final String DELETE = "mutation($p: String!) { deleteAccount(password: $p) }";
    private static final int FREE = LoginBackoff.DEFAULT.freeAttempts();

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void aStrangerWhoLockedTheNameDoesNotStopTheOwnersSessionFromChangingThePasswordOrDeletingTheAccount() {
        String name = uniqueName();
        TokenPair owner = register(name);
        lockTheName(name);

        LambdaResponse changed = graphql(owner, CHANGE, Map.of("old", PASSWORD, "new", "a new password entirely"));
        assertThat(changed.firstErrorCode()).as(changed.body()).isNull();
        TokenPair afterChange = pair(changed.data("changePassword"));

        lockTheName(name);
        LambdaResponse deleted = graphql(afterChange, DELETE, Map.of("p", "a new password entirely"));
        assertThat(deleted.firstErrorCode()).as(deleted.body()).isNull();
        assertThat(deleted.data("deleteAccount").booleanValue()).isTrue();
    }

    @Test
    void aStolenSessionGetsOnlyTheFreeGuessesAtThePasswordAndLocksOnlyItself() {
        String name = uniqueName();
        TokenPair owner = register(name);
        TokenPair stolen = login(name, PASSWORD, null).tokens;

        for (int i = 0; i < FREE; i++) {
            assertThat(graphql(stolen, DELETE, Map.of("p", "a thief's guess " + i)).firstErrorCode())
                    .isEqualTo("INVALID_CREDENTIALS");
        }
        // Even the right password is refused unchecked in the stolen session now.
        assertThat(graphql(stolen, DELETE, Map.of("p", PASSWORD)).firstErrorCode()).isEqualTo("LOGIN_THROTTLED");
        assertThat(graphql(stolen, CHANGE, Map.of("old", PASSWORD, "new", "the thief's password")).firstErrorCode())
                .isEqualTo("LOGIN_THROTTLED");

        // The owner's own session and logins by name are not locked by the thief's guesses.
        assertThat(login(name, PASSWORD, null).response.firstErrorCode()).isNull();
        LambdaResponse changed = graphql(owner, CHANGE, Map.of("old", PASSWORD, "new", "a new password entirely"));
        assertThat(changed.firstErrorCode()).as(changed.body()).isNull();
    }

    @Test
    void loginsWithANameNoAccountCanHaveAreCountedAndLockLikeAnyOther() {
        String invalid = "not a valid name!";
        for (int i = 0; i < FREE; i++) {
            assertThat(login(invalid, "a guess at it " + i, null).response.firstErrorCode())
                    .isEqualTo("INVALID_CREDENTIALS");
        }
        assertThat(login(invalid, "a guess at it again", null).response.firstErrorCode()).isEqualTo("LOGIN_THROTTLED");
    }

    @Test
    void aDeviceTokenIssuedBeforeAPasswordChangeNoLongerGetsABudgetOfItsOwn() {
        String name = uniqueName();
        TokenPair owner = register(name);
        String device = login(name, PASSWORD, null).deviceToken;

        LambdaResponse changed = graphql(owner, CHANGE, Map.of("old", PASSWORD, "new", "a new password entirely"));
        assertThat(changed.firstErrorCode()).as(changed.body()).isNull();
        lockTheName(name);

        // The old device token is ignored: the name's budget, locked, applies.
        assertThat(login(name, "a new password entirely", device).response.firstErrorCode()).isEqualTo("LOGIN_THROTTLED");
        assertThat(lambda.users().findByUsername(name).orElseThrow().devices()).isEmpty();
    }

    @Test
    void aDeviceTokenIssuedBeforeALogoutEverywhereNoLongerGetsABudgetOfItsOwn() {
        String name = uniqueName();
        register(name);
        Login earlier = login(name, PASSWORD, null);
        Login other = login(name, PASSWORD, null);

        LambdaResponse out = graphql(earlier.tokens, "mutation { logoutEverywhere }", Map.of());
        assertThat(out.data("logoutEverywhere").booleanValue()).isTrue();
        lockTheName(name);

        for (String device : new String[] {earlier.deviceToken, other.deviceToken}) {
            assertThat(login(name, PASSWORD, device).response.firstErrorCode()).isEqualTo("LOGIN_THROTTLED");
        }
        assertThat(lambda.users().findByUsername(name).orElseThrow().devices()).isEmpty();
    }

    /** A stranger's wrong guesses at the name until it is locked. */
    private void lockTheName(String name) {
        for (int i = 0; i < FREE; i++) {
            login(name, "a stranger's guess " + i, null);
        }
        assertThat(login(name, PASSWORD, null).response.firstErrorCode()).isEqualTo("LOGIN_THROTTLED");
    }

    private record Login(LambdaResponse response, TokenPair tokens, String deviceToken) {
    }

    private Login login(String name, String password, String deviceToken) {
        var variables = new HashMap<String, Object>(credentials(name, password));
        variables.put("deviceToken", deviceToken);
        LambdaResponse response = lambda.invoke(Event.load("login.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", LOGIN, "variables", variables))));
        if (response.firstErrorCode() != null) {
            return new Login(response, null, null);
        }
        return new Login(response, pair(response.data("login")), response.data("login").path("deviceToken").stringValue());
    }

    private TokenPair register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return pair(response.data("register"));
    }

    private LambdaResponse graphql(TokenPair pair, String query, Map<String, Object> variables) {
        return lambda.invoke(Event.load("logout.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", query, "variables", variables)))
                .header("x-access-token", pair.accessToken()).header("x-refresh-token", pair.refreshToken()));
    }

    private static TokenPair pair(tools.jackson.databind.JsonNode tokens) {
        return new TokenPair(tokens.path("accessToken").stringValue(), tokens.path("refreshToken").stringValue());
    }
}
