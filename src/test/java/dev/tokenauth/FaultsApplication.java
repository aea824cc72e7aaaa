package dev.tokenauth;

import java.util.List;
import java.util.Map;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorCode;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.graphql.GraphqlModule;
import dev.tokenauth.user.UserStoreUnavailableException;
import graphql.schema.idl.RuntimeWiring;

/**
 * The application with a module whose fields fail on purpose ({@code graphql/faults.graphqls}):
 * every field code, a module's own code, an unexpected exception, and null for a non-null field.
 */
public class FaultsApplication extends LambdaApplication {

    /** A module's own code, declared without touching the core's vocabulary. */
    enum ProbeError implements ErrorCode {
        PROBE_CODE
    }

    public FaultsApplication() {
        super(List.of(context -> new GraphqlModule() {
            @Override
            public List<String> schemaResources() {
                return List.of("graphql/faults.graphqls");
            }

            @Override
            public void wire(RuntimeWiring.Builder wiring) {
                wiring.type("Query", type -> type
                        .dataFetcher("ok", env -> "ok")
                        .dataFetcher("fail", env -> {
                            String code = env.getArgument("code");
                            if (code.equals(ErrorType.SERVICE_UNAVAILABLE.name())) {
                                throw new UserStoreUnavailableException("the store is down", null);
                            }
                            ErrorCode error = code.equals(ProbeError.PROBE_CODE.name()) ? ProbeError.PROBE_CODE
                                    : ErrorType.valueOf(code);
                            throw ApiError.of(error, "Failed with " + code);
                        })
                        .dataFetcher("crash", env -> {
                            throw new IllegalStateException("internal detail: java.util.HashMap broke");
                        })
                        .dataFetcher("nullForNonNull", env -> null)
                        .dataFetcher("probe", env -> Map.of()))
                        .type("Probe", type -> type.dataFetcher("nullForNonNull", env -> null));
            }
        }));
    }
}
