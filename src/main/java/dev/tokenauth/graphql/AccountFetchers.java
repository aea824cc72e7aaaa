package dev.tokenauth.graphql;

import java.util.Map;

import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.AccountService;
import dev.tokenauth.user.AuthException;
import dev.tokenauth.user.User;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

/** The resolvers: each reads its arguments and context and delegates to {@link AccountService}. */
final class AccountFetchers {

    private final AccountService accounts;

    AccountFetchers(AccountService accounts) {
        this.accounts = accounts;
    }

    DataFetcher<Map<String, Object>> loggedInUser() {
        return env -> view(accounts.currentUser(principal(env)));
    }

    DataFetcher<Map<String, Object>> login() {
        return env -> view(accounts.login(env.getArgument("username"), env.getArgument("password")));
    }

    DataFetcher<Map<String, Object>> register() {
        return env -> view(accounts.register(env.getArgument("username"), env.getArgument("password")));
    }

    DataFetcher<Boolean> logout() {
        return env -> accounts.logout(principal(env));
    }

    DataFetcher<Boolean> logoutEverywhere() {
        return env -> accounts.logoutEverywhere(principal(env));
    }

    DataFetcher<Map<String, Object>> changePassword() {
        return env -> view(accounts.changePassword(principal(env), env.getArgument("oldPassword"),
                env.getArgument("newPassword")));
    }

    private static Principal principal(DataFetchingEnvironment env) {
        RequestContext context = env.getGraphQlContext().get(RequestContext.class);
        return context.principal().orElseThrow(AuthException::unauthenticated);
    }

    /** The GraphQL User type: never the password hash, the token count or the sessions. */
    private static Map<String, Object> view(User user) {
        return Map.of("id", user.userId(), "username", user.username(), "createdAt", user.createdAt().toString());
    }

    private static Map<String, Object> view(TokenPair tokens) {
        return Map.of("accessToken", tokens.accessToken(), "refreshToken", tokens.refreshToken());
    }
}
