package dev.tokenauth.graphql.account;

import java.util.List;
import java.util.Map;

import dev.tokenauth.graphql.Auth;
import dev.tokenauth.token.TokenPair;
import dev.tokenauth.user.AccountService;
import dev.tokenauth.user.User;
import graphql.schema.DataFetcher;

/**
 * The account resolvers: each reads its arguments and context and delegates to
 * {@link AccountService}. Who may call them is declared in {@code account.graphqls}.
 */
final class AccountFetchers {

    private final AccountService accounts;

    AccountFetchers(AccountService accounts) {
        this.accounts = accounts;
    }

    DataFetcher<Map<String, Object>> loggedInUser() {
        // @authenticated(live: true) has read the user already; this is the same read.
        return env -> view(Auth.liveUser(env));
    }

    DataFetcher<Map<String, Object>> login() {
        return env -> view(accounts.login(env.getArgument("username"), env.getArgument("password")));
    }

    DataFetcher<Map<String, Object>> register() {
        return env -> view(accounts.register(env.getArgument("username"), env.getArgument("password")));
    }

    DataFetcher<Boolean> logout() {
        return env -> accounts.logout(Auth.principal(env));
    }

    DataFetcher<Boolean> logoutEverywhere() {
        return env -> accounts.logoutEverywhere(Auth.principal(env));
    }

    DataFetcher<Map<String, Object>> changePassword() {
        return env -> view(accounts.changePassword(Auth.principal(env), env.getArgument("oldPassword"),
                env.getArgument("newPassword")));
    }

    /** The GraphQL User type: never the password hash, the token count or the sessions. */
    static Map<String, Object> view(User user) {
        return Map.of("id", user.userId(), "username", user.username(), "createdAt", user.createdAt().toString(),
                "roles", List.copyOf(new java.util.TreeSet<>(user.roles())));
    }

    private static Map<String, Object> view(TokenPair tokens) {
        return Map.of("accessToken", tokens.accessToken(), "refreshToken", tokens.refreshToken());
    }
}
