package dev.tokenauth.graphql.account;

import java.util.List;

import dev.tokenauth.graphql.GraphqlModule;
import graphql.schema.idl.RuntimeWiring;

/** The account API: register, login, the sessions, the password, the logged-in user. */
public final class AccountModule implements GraphqlModule {

    private final AccountFetchers fetchers;

    public AccountModule(AccountOperations accounts) {
        this.fetchers = new AccountFetchers(accounts);
    }

    @Override
    public List<String> schemaResources() {
        return List.of("graphql/account.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                        .dataFetcher("loggedInUser", fetchers.loggedInUser())
                        .dataFetcher("sessions", fetchers.sessions()))
                .type("Mutation", type -> type
                        .dataFetcher("login", fetchers.login())
                        .dataFetcher("register", fetchers.register())
                        .dataFetcher("logout", fetchers.logout())
                        .dataFetcher("logoutEverywhere", fetchers.logoutEverywhere())
                        .dataFetcher("changePassword", fetchers.changePassword())
                        .dataFetcher("revokeSession", fetchers.revokeSession())
                        .dataFetcher("deleteAccount", fetchers.deleteAccount()));
    }
}
