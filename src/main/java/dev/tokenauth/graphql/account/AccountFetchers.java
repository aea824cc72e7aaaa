package dev.tokenauth.graphql.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.tokenauth.account.LoginService;
import dev.tokenauth.graphql.Auth;
import dev.tokenauth.session.SessionService;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.User;
import graphql.schema.DataFetcher;

/**
 * The account resolvers: each reads its arguments and context and delegates to a use case. Who
 * may call them is declared in {@code account.graphqls}. A use case that needs the caller's stored
 * user gets {@link Auth#liveUser}: the item authentication already holds, or one read per request.
 */
final class AccountFetchers {

    private final AccountOperations accounts;

    AccountFetchers(AccountOperations accounts) {
        this.accounts = accounts;
    }

    DataFetcher<Map<String, Object>> loggedInUser() {
        // @authenticated(live: true) has read the user already; this is the same read.
        return env -> view(Auth.liveUser(env));
    }

    DataFetcher<Map<String, Object>> login() {
        return env -> view(accounts.login().login(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("deviceToken"), Auth.caller(env)));
    }

    DataFetcher<Map<String, Object>> register() {
        return env -> view(accounts.registration().register(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("email"), Auth.caller(env)));
    }

    DataFetcher<Boolean> logout() {
        return env -> accounts.sessions().logout(Auth.liveUser(env), Auth.principal(env), Auth.caller(env));
    }

    DataFetcher<Boolean> logoutEverywhere() {
        return env -> accounts.sessions().logoutEverywhere(Auth.liveUser(env), Auth.principal(env), Auth.caller(env));
    }

    DataFetcher<Map<String, Object>> changePassword() {
        return env -> view(accounts.passwords().changePassword(stepUp(env), Auth.principal(env),
                env.getArgument("oldPassword"),
                env.getArgument("newPassword"), Auth.caller(env)));
    }

    DataFetcher<List<Map<String, Object>>> sessions() {
        // @authenticated(live: true) has read the user already: list from that read.
        return env -> accounts.sessions().list(Auth.liveUser(env), Auth.principal(env)).stream()
                .map(AccountFetchers::view).toList();
    }

    DataFetcher<Boolean> revokeSession() {
        return env -> accounts.sessions().revoke(Auth.liveUser(env), Auth.principal(env), env.getArgument("id"),
                Auth.caller(env));
    }

    DataFetcher<Boolean> deleteAccount() {
        return env -> accounts.deletion().deleteAccount(stepUp(env), Auth.principal(env),
                env.getArgument("password"), Auth.caller(env));
    }

    private User stepUp(graphql.schema.DataFetchingEnvironment env) {
        return StepUp.liveUser(accounts.secondFactor(), env);
    }

    /** The GraphQL User type: never the password hash, the token count or the sessions. */
    static Map<String, Object> view(User user) {
        var view = new HashMap<String, Object>(Map.of("id", user.userId(), "username", user.username(),
                "createdAt", user.createdAt().toString(), "roles", List.copyOf(new TreeSet<>(user.roles()))));
        view.put("email", user.email() == null ? null : user.email().address());
        view.put("emailVerified", user.email() != null && user.email().verified());
        view.put("mfaEnabled", user.mfaEnabled());
        return view;
    }

    private static Map<String, Object> view(TokenPair tokens) {
        return Map.of("accessToken", tokens.accessToken(), "refreshToken", tokens.refreshToken());
    }

    private static Map<String, Object> view(LoginService.LoginResult result) {
        var view = new HashMap<>(view(result.tokens()));
        view.put("deviceToken", result.deviceToken());
        return view;
    }

    private static Map<String, Object> view(SessionService.SessionInfo session) {
        var view = new HashMap<String, Object>();
        view.put("id", session.id());
        view.put("createdAt", session.createdAt().toString());
        view.put("lastUsedAt", session.lastUsedAt().toString());
        view.put("label", session.label());
        view.put("current", session.current());
        return view;
    }
}
