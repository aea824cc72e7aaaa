package dev.tokenauth.graphql.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.account.PasskeyService;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.graphql.Auth;
import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.user.Passkey;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;

/**
 * Passkeys (see {@code passkeys.graphqls}): the options of both ceremonies, registering, signing in
 * and removing, and {@code User.passkeys}. Without a configured relying party the fields answer
 * {@code FORBIDDEN} and users list no passkeys.
 */
public final class PasskeysModule implements GraphqlModule {

    private final Optional<PasskeyService> passkeys;

    public PasskeysModule(Optional<PasskeyService> passkeys) {
        this.passkeys = passkeys;
    }

    @Override
    public List<String> schemaResources() {
        return List.of("graphql/passkeys.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type
                        .dataFetcher("passkeyRegistrationOptions", env -> service().registrationOptions(Auth.liveUser(env)))
                        .dataFetcher("registerPasskey", env -> view(service().register(Auth.liveUser(env),
                                Auth.principal(env), env.getArgument("credential"), env.getArgument("label"),
                                Auth.caller(env))))
                        .dataFetcher("passkeyLoginOptions", env -> service().loginOptions())
                        .dataFetcher("loginWithPasskey", loginWithPasskey())
                        .dataFetcher("removePasskey", env -> service().remove(Auth.liveUser(env), Auth.principal(env),
                                env.getArgument("id"), env.getArgument("password"), Auth.caller(env))))
                .type("User", type -> type.dataFetcher("passkeys", userPasskeys()));
    }

    private DataFetcher<Map<String, Object>> loginWithPasskey() {
        return env -> {
            var result = service().login(env.getArgument("credential"), Auth.caller(env));
            var view = new HashMap<String, Object>();
            view.put("accessToken", result.tokens().accessToken());
            view.put("refreshToken", result.tokens().refreshToken());
            view.put("deviceToken", result.deviceToken());
            return view;
        };
    }

    private DataFetcher<List<Map<String, Object>>> userPasskeys() {
        return env -> {
            Map<String, Object> user = env.getSource();
            if (!Auth.principal(env).userId().equals(user.get("id"))) {
                // An admin sees other users through grantRole and revokeRole, but not their passkeys.
                throw ApiError.of(ErrorType.FORBIDDEN, "Only your own passkeys are listed");
            }
            return passkeys.map(service -> service.passkeys((String) user.get("id")).stream()
                    .map(PasskeysModule::view).toList()).orElse(List.of());
        };
    }

    private PasskeyService service() {
        return passkeys.orElseThrow(() -> ApiError.of(ErrorType.FORBIDDEN, "Passkeys are not enabled on this server"));
    }

    private static Map<String, Object> view(Passkey passkey) {
        var view = new HashMap<String, Object>();
        view.put("id", passkey.id());
        view.put("label", passkey.label());
        view.put("createdAt", passkey.createdAt().toString());
        view.put("lastUsedAt", passkey.lastUsedAt().map(Object::toString).orElse(null));
        return view;
    }
}
