package dev.tokenauth.graphql.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tokenauth.account.TotpService;
import dev.tokenauth.graphql.Auth;
import dev.tokenauth.graphql.GraphqlModule;
import graphql.schema.idl.RuntimeWiring;

/** The time-based second factor (see {@code totp.graphqls}): setting it up, turning it off, the login's second step. */
public final class TotpModule implements GraphqlModule {

    private final TotpService totp;

    public TotpModule(TotpService totp) {
        this.totp = totp;
    }

    @Override
    public List<String> schemaResources() {
        return List.of("graphql/totp.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type
                .dataFetcher("enableTotp", env -> {
                    var setup = totp.enable(Auth.liveUser(env), Auth.principal(env), env.getArgument("password"),
                            Auth.caller(env));
                    return Map.of("secret", setup.secret(), "otpauthUri", setup.otpauthUri());
                })
                .dataFetcher("confirmTotp", env -> totp.confirm(Auth.liveUser(env), Auth.principal(env),
                        env.getArgument("code"), Auth.caller(env)))
                .dataFetcher("disableTotp", env -> totp.disable(Auth.liveUser(env), Auth.principal(env),
                        env.getArgument("password"), env.getArgument("code"), Auth.caller(env)))
                .dataFetcher("verifyMfa", env -> {
                    var result = totp.verifyMfa(env.getArgument("mfaToken"), env.getArgument("code"), Auth.caller(env));
                    var view = new HashMap<String, Object>();
                    view.put("accessToken", result.tokens().accessToken());
                    view.put("refreshToken", result.tokens().refreshToken());
                    view.put("deviceToken", result.deviceToken());
                    return view;
                }));
    }
}
