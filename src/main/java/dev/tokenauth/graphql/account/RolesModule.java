package dev.tokenauth.graphql.account;

import java.util.List;

import dev.tokenauth.account.RoleAdministration;
import dev.tokenauth.account.SecondFactor;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.user.User;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;

/** Role administration: {@code grantRole} and {@code revokeRole}, for admins (see {@code roles.graphqls}). */
public final class RolesModule implements GraphqlModule {

    private final RoleAdministration roles;
    private final SecondFactor secondFactor;

    public RolesModule(RoleAdministration roles, SecondFactor secondFactor) {
        this.roles = roles;
        this.secondFactor = secondFactor;
    }

    @Override
    public List<String> schemaResources() {
        return List.of("graphql/roles.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type
                .dataFetcher("grantRole", change(true))
                .dataFetcher("revokeRole", change(false)));
    }

    private DataFetcher<Object> change(boolean grant) {
        return env -> {
            // The admin's own second factor.
            StepUp.liveUser(secondFactor, env);
            String username = env.getArgument("username");
            String role = env.getArgument("role");
            User changed = (grant ? roles.grant(username, role) : roles.revoke(username, role))
                    .orElseThrow(() -> ApiError.of(ErrorType.NOT_FOUND, "No such user"));
            return AccountFetchers.view(changed);
        };
    }
}
