package dev.tokenauth.graphql;

import java.util.Set;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.token.Principal;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.idl.SchemaDirectiveWiring;
import graphql.schema.idl.SchemaDirectiveWiringEnvironment;

/**
 * The authorization directives, applied once when the schema is built: each guarded field's data
 * fetcher is wrapped so that the check runs before the resolver, and a refused field is that
 * field's error (UNAUTHENTICATED or FORBIDDEN) with the resolver never called.
 *
 * <ul>
 *   <li>{@code @authenticated}: a valid access token; {@code live: true} also a live session
 *       (one store read per request, shared).</li>
 *   <li>{@code @hasRole(role:)}: a valid access token whose {@code roles} claim has the role;
 *       {@code live: true} reads the stored user's roles instead (and needs a live session).</li>
 * </ul>
 */
final class AuthDirectives {

    static final String AUTHENTICATED = "authenticated";
    static final String HAS_ROLE = "hasRole";
    static final String COST = "cost";
    static final String PASSWORD_CHECK = "passwordCheck";

    private AuthDirectives() {
    }

    static SchemaDirectiveWiring authenticated() {
        return guard(directive -> {
            boolean live = argument(directive, "live", Boolean.class, false);
            return env -> {
                Auth.principal(env);
                if (live) {
                    Auth.liveUser(env);
                }
            };
        });
    }

    static SchemaDirectiveWiring hasRole() {
        return guard(directive -> {
            String role = argument(directive, "role", String.class, null);
            boolean live = argument(directive, "live", Boolean.class, false);
            return env -> {
                Principal principal = Auth.principal(env);
                Set<String> roles = live ? Auth.liveUser(env).roles() : principal.roles();
                if (!roles.contains(role)) {
                    throw ApiError.of(ErrorType.FORBIDDEN, "Requires the role '" + role + "'");
                }
            };
        });
    }

    private interface Check {
        void verify(DataFetchingEnvironment env);
    }

    private interface CheckFactory {
        Check of(GraphQLAppliedDirective directive);
    }

    private static SchemaDirectiveWiring guard(CheckFactory factory) {
        return new SchemaDirectiveWiring() {
            @Override
            public GraphQLFieldDefinition onField(SchemaDirectiveWiringEnvironment<GraphQLFieldDefinition> env) {
                Check check = factory.of(env.getAppliedDirective());
                DataFetcher<?> resolver = env.getFieldDataFetcher();
                return env.setFieldDataFetcher(fetching -> {
                    check.verify(fetching);
                    return resolver.get(fetching);
                });
            }
        };
    }

    static <T> T argument(GraphQLAppliedDirective directive, String name, Class<T> type, T fallback) {
        var argument = directive.getArgument(name);
        Object value = argument == null ? null : argument.getValue();
        return type.isInstance(value) ? type.cast(value) : fallback;
    }
}
