package dev.tokenauth.graphql;

import java.util.HashMap;
import java.util.Map;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.AuthException;
import dev.tokenauth.user.LoginService;
import dev.tokenauth.user.User;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

/** The resolvers: each reads its arguments and context and delegates to a domain service. */
final class AccountFetchers {

    private final AccountOperations accounts;

    AccountFetchers(AccountOperations accounts) {
        this.accounts = accounts;
    }

    DataFetcher<Map<String, Object>> loggedInUser() {
        return env -> view(accounts.sessions().currentUser(principal(env)));
    }

    DataFetcher<Map<String, Object>> login() {
        return env -> view(accounts.login().login(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("deviceToken"), caller(env)));
    }

    DataFetcher<Map<String, Object>> register() {
        return env -> view(accounts.registration().register(env.getArgument("username"), env.getArgument("password"),
                caller(env)));
    }

    DataFetcher<Boolean> logout() {
        return env -> accounts.sessions().logout(principal(env), caller(env));
    }

    DataFetcher<Boolean> logoutEverywhere() {
        return env -> accounts.sessions().logoutEverywhere(principal(env), caller(env));
    }

    DataFetcher<Map<String, Object>> changePassword() {
        return env -> view(accounts.passwords().changePassword(principal(env), env.getArgument("oldPassword"),
                env.getArgument("newPassword"), caller(env)));
    }

    private static Principal principal(DataFetchingEnvironment env) {
        RequestContext context = env.getGraphQlContext().get(RequestContext.class);
        return context.principal().orElseThrow(AuthException::unauthenticated);
    }

    private static Caller caller(DataFetchingEnvironment env) {
        RequestContext context = env.getGraphQlContext().get(RequestContext.class);
        return context.caller();
    }

    /** The GraphQL User type: never the password hash, the token count or the sessions. */
    private static Map<String, Object> view(User user) {
        return Map.of("id", user.userId(), "username", user.username(), "createdAt", user.createdAt().toString());
    }

    private static Map<String, Object> view(TokenPair tokens) {
        return Map.of("accessToken", tokens.accessToken(), "refreshToken", tokens.refreshToken());
    }

    private static Map<String, Object> view(LoginService.LoginResult result) {
        var view = new HashMap<>(view(result.tokens()));
        view.put("deviceToken", result.deviceToken());
        return view;
    }
}
