package dev.tokenauth.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.User;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.schema.idl.RuntimeWiring;
import org.junit.jupiter.api.Test;

/**
 * The engine with a test module (graphql/engine-test.graphqls) whose resolvers check nothing
 * themselves: what is refused here is refused by the schema's directives and rules alone.
 */
class GraphqlEngineTest {

    private static final Principal ADA = new Principal("u-1", "ada", 0, "s-1");
    private static final Principal ADMIN = new Principal("u-2", "root", 0, "s-2", Set.of("admin"));

    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final AtomicInteger storeReads = new AtomicInteger();
    private Optional<User> stored = Optional.empty();

    private final GraphqlModule testModule = new GraphqlModule() {
        @Override
        public List<String> schemaResources() {
            return List.of("graphql/engine-test.graphqls");
        }

        @Override
        public void wire(RuntimeWiring.Builder wiring) {
            wiring.type("Query", type -> {
                for (String field : List.of("open", "guarded", "live", "liveToo", "admin", "liveAdmin", "heavy")) {
                    type.dataFetcher(field, env -> {
                        calls.computeIfAbsent(field, k -> new AtomicInteger()).incrementAndGet();
                        return field;
                    });
                }
                return type
                        .dataFetcher("broken", env -> {
                            throw new IllegalStateException("secret detail of java.util internals");
                        })
                        .dataFetcher("refused", env -> {
                            throw ApiError.builder(ErrorType.FORBIDDEN).message("Not yours")
                                    .extension("reason", "owner").build();
                        });
            }).type("Mutation", type -> type.dataFetcher("checkPassword", env -> true));
        }
    };

    private final GraphqlEngine engine = new GraphqlEngine(List.of(testModule), GraphqlLimits.DEFAULTS, principal -> {
        storeReads.incrementAndGet();
        return stored;
    });

    @Test
    void authenticatedRefusesAnAnonymousCallerBeforeTheResolverRuns() {
        ExecutionResult result = run("{ open guarded }", null);
        assertThat(data(result)).containsEntry("open", "open").containsEntry("guarded", null);
        assertThat(codes(result)).containsExactly("UNAUTHENTICATED");
        assertThat(calls).doesNotContainKey("guarded");

        assertThat(data(run("{ guarded }", ADA))).containsEntry("guarded", "guarded");
        assertThat(storeReads).as("no store read without live: true").hasValue(0);
    }

    @Test
    void liveChecksReadTheStoreOncePerRequestAndRefuseAnEndedSession() {
        ExecutionResult ended = run("{ live liveToo }", ADA);
        assertThat(codes(ended)).containsExactly("UNAUTHENTICATED", "UNAUTHENTICATED");
        assertThat(calls).doesNotContainKeys("live", "liveToo");
        assertThat(storeReads).hasValue(1);

        stored = Optional.of(user(ADA, Set.of()));
        ExecutionResult live = run("{ live liveToo }", ADA);
        assertThat(data(live)).containsEntry("live", "live").containsEntry("liveToo", "liveToo");
        assertThat(storeReads).as("one read for both fields").hasValue(2);
    }

    @Test
    void hasRoleReadsTheTokenOrWithLiveTheStoredRoles() {
        assertThat(codes(run("{ admin }", null))).containsExactly("UNAUTHENTICATED");
        assertThat(codes(run("{ admin }", ADA))).containsExactly("FORBIDDEN");
        assertThat(data(run("{ admin }", ADMIN))).containsEntry("admin", "admin");

        stored = Optional.of(user(ADMIN, Set.of()));
        assertThat(codes(run("{ liveAdmin }", ADMIN))).as("the role was revoked in the store").containsExactly("FORBIDDEN");
        stored = Optional.of(user(ADA, Set.of("admin")));
        assertThat(data(run("{ liveAdmin }", ADA))).as("granted in the store, not yet in the token")
                .containsEntry("liveAdmin", "liveAdmin");
        assertThat(calls.get("liveAdmin")).hasValue(1);
    }

    @Test
    void anUnexpectedFailureIsThatFieldsErrorWithoutInternals() {
        ExecutionResult result = run("{ open broken }", null);
        assertThat(data(result)).containsEntry("open", "open").containsEntry("broken", null);
        GraphQLError error = result.getErrors().get(0);
        assertThat(error.getMessage()).isEqualTo("Internal server error");
        assertThat(error.getExtensions()).containsEntry("code", "INTERNAL_SERVER_ERROR").containsEntry("requestId", "req-1");
        assertThat(error.getPath()).containsExactly("broken");
    }

    @Test
    void anApiErrorKeepsItsMessageCodeAndExtensionsAndGainsItsPath() {
        GraphQLError error = run("{ refused }", ADA).getErrors().get(0);
        assertThat(error.getMessage()).isEqualTo("Not yours");
        assertThat(error.getExtensions()).containsEntry("code", "FORBIDDEN").containsEntry("reason", "owner");
        assertThat(error.getPath()).containsExactly("refused");
        assertThat(error.getLocations()).hasSize(1);
    }

    @Test
    void costAndPasswordChecksComeFromTheSchema() {
        assertThat(codes(run("{ heavy }", null))).isEmpty();
        assertThat(codes(run("{ heavy a: heavy }", null))).containsExactly("QUERY_TOO_COMPLEX");
        assertThat(codes(run("mutation { checkPassword(password: \"x\") }", null))).isEmpty();
        assertThat(codes(run("mutation { a: checkPassword(password: \"x\") b: checkPassword(password: \"y\") }", null)))
                .containsExactly("TOO_MANY_PASSWORD_CHECKS");
        assertThat(codes(run("mutation { a: checkPassword(password: \"x\") "
                + "b: checkPassword(password: \"y\") @skip(if: true) }", null)))
                .as("a skipped field checks nothing").isEmpty();
    }

    @Test
    void aQueryOnlyRequestCannotRunAMutationWhateverItsOperationName() {
        for (String name : new String[] {null, "", "M"}) {
            var request = new GraphqlRequest("mutation M { checkPassword(password: \"x\") }", name, Map.of(), Map.of(), true);
            ExecutionResult result = engine.execute(request, new RequestContext(Optional.empty(), "req-1"));
            // graphql-java takes an empty name as no name: the only operation runs, and is refused here
            assertThat(codes(result)).as("operationName %s", name).containsExactly("METHOD_NOT_ALLOWED");
        }
    }

    private ExecutionResult run(String query, Principal principal) {
        return engine.execute(new GraphqlRequest(query, null, Map.of()),
                new RequestContext(Optional.ofNullable(principal), "req-1"));
    }

    private static Map<String, Object> data(ExecutionResult result) {
        return result.getData();
    }

    private static List<Object> codes(ExecutionResult result) {
        return result.getErrors().stream().map(error -> error.getExtensions().get("code")).toList();
    }

    private static User user(Principal principal, Set<String> roles) {
        return new User(principal.userId(), principal.username(), "$2a$10$hash", principal.tokenCount(), Map.of(),
                Instant.EPOCH, 0, roles, List.of());
    }
}
