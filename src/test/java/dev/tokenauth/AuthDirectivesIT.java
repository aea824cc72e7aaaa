package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.principalOf;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The schema's authorization directives through the real FunctionInvoker: {@code @authenticated}
 * on logout, {@code @authenticated(live: true)} on loggedInUser, {@code @hasRole(role: "admin",
 * live: true)} on grantRole and revokeRole. Each refuses the wrong caller before the resolver runs
 * and lets the right one through.
 */
class AuthDirectivesIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String GRANT = "mutation($u: String!, $r: String!) { grantRole(username: $u, role: $r) "
            + "{ username roles } }";
    private static final String REVOKE = "mutation($u: String!, $r: String!) { revokeRole(username: $u, role: $r) "
            + "{ username roles } }";

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void authenticatedRefusesMissingExpiredAndForgedTokensAndAcceptsAValidOne() {
        TokenPair pair = register(uniqueName());
        Principal principal = principalOf(pair);
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("no token", null);
        wrong.put("expired", LambdaHarness.tokens(Duration.ofMinutes(-16)).issue(principal).accessToken());
        wrong.put("forged", forged(pair.accessToken(), principal, Set.of()));
        wrong.forEach((kind, token) -> {
            LambdaResponse response = graphql("mutation { logout }", Map.of(), token);
            assertThat(response.firstErrorCode()).as(kind).isEqualTo("UNAUTHENTICATED");
        });
        assertThat(lambda.users().findByUsername(principal.username()).orElseThrow().sessions()).hasSize(1);

        LambdaResponse ok = graphql("mutation { logout }", Map.of(), pair.accessToken());
        assertThat(ok.data("logout").booleanValue()).isTrue();
    }

    @Test
    void everyDirectiveRefusesAnExpiredAndAForgedToken() {
        TokenPair pair = register(uniqueName());
        Principal principal = principalOf(pair);
        String expired = LambdaHarness.tokens(Duration.ofMinutes(-16)).issue(principal).accessToken();
        String forged = forged(pair.accessToken(), principal, Set.of("admin", "moderator"));
        Map<String, String> guarded = new LinkedHashMap<>();
        guarded.put("@authenticated", "mutation { logout }");
        guarded.put("@authenticated(live: true)", "{ loggedInUser { username } }");
        guarded.put("@hasRole", "mutation { removeNote(ownerId: \"x\", id: \"y\") }");
        guarded.put("@hasRole(live: true)", "mutation { grantRole(username: \"nobody\", role: \"x\") { username } }");
        guarded.forEach((directive, query) -> {
            for (String token : new String[] {expired, forged}) {
                LambdaResponse response = graphql(query, Map.of(), token);
                assertThat(response.firstErrorCode()).as(directive).isEqualTo("UNAUTHENTICATED");
                assertThat(response.status()).as(directive).isEqualTo(200);
            }
        });
        assertThat(graphql("{ loggedInUser { username } }", Map.of(), pair.accessToken()).firstErrorCode()).isNull();
    }

    @Test
    void liveAuthenticatedRefusesATokenWhoseSessionHasEnded() {
        String name = uniqueName();
        TokenPair laptop = register(name);
        TokenPair phone = login(name);
        assertThat(graphql("mutation { logout }", Map.of(), phone.accessToken()).data("logout").booleanValue()).isTrue();

        LambdaResponse ended = graphql("{ loggedInUser { username } }", Map.of(), phone.accessToken());
        assertThat(ended.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(ended.data("loggedInUser").isNull()).isTrue();
        LambdaResponse live = graphql("{ loggedInUser { username roles } }", Map.of(), laptop.accessToken());
        assertThat(live.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
        assertThat(live.data("loggedInUser").path("roles").isEmpty()).isTrue();
    }

    @Test
    void grantingARoleNeedsALiveAdminByTheStoredRoles() {
        String admin = uniqueName();
        String target = uniqueName();
        TokenPair adminTokens = register(admin);
        TokenPair targetTokens = register(target);
        Map<String, Object> grant = Map.of("u", target, "r", "moderator");

        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no token", null);
        refused.put("a forged token claiming admin", forged(adminTokens.accessToken(), principalOf(adminTokens),
                Set.of("admin")));
        refused.put("an expired token of a live admin", LambdaHarness.tokens(Duration.ofMinutes(-16))
                .issue(withRoles(principalOf(adminTokens), Set.of("admin"))).accessToken());
        refused.forEach((kind, token) ->
                assertThat(graphql(GRANT, grant, token).firstErrorCode()).as(kind).isEqualTo("UNAUTHENTICATED"));
        assertThat(graphql(GRANT, grant, targetTokens.accessToken()).firstErrorCode()).isEqualTo("FORBIDDEN");
        // Signed with the real key and claiming admin, but live: true reads the stored roles, which have none.
        String claimsAdmin = LambdaHarness.tokens(Duration.ZERO)
                .issue(withRoles(principalOf(adminTokens), Set.of("admin"))).accessToken();
        LambdaResponse claimOnly = graphql(GRANT, grant, claimsAdmin);
        assertThat(claimOnly.firstErrorCode()).isEqualTo("FORBIDDEN");
        assertThat(claimOnly.json().path("errors").path(0).path("message").stringValue())
                .isEqualTo("Requires the role 'admin'");
        assertThat(lambda.users().findByUsername(target).orElseThrow().roles()).isEmpty();

        grantFirstAdmin(lambda, admin);
        LambdaResponse granted = graphql(GRANT, grant, adminTokens.accessToken());
        assertThat(granted.firstErrorCode()).isNull();
        assertThat(granted.data("grantRole").path("roles").get(0).stringValue()).isEqualTo("moderator");
        assertThat(lambda.users().findByUsername(target).orElseThrow().roles()).containsExactly("moderator");

        // The role shows in the target's tokens from the next login.
        TokenPair next = login(target);
        assertThat(JWT.decode(next.accessToken()).getClaim("roles").asList(String.class)).containsExactly("moderator");

        LambdaResponse unknown = graphql(GRANT, Map.of("u", uniqueName(), "r", "moderator"), adminTokens.accessToken());
        // A field error: the request itself succeeded, so the status is 200 with the code in the body.
        assertThat(unknown.firstErrorCode()).isEqualTo("NOT_FOUND");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().path("data").path("grantRole").isNull()).isTrue();
        LambdaResponse badRole = graphql(GRANT, Map.of("u", target, "r", "Not A Role"), adminTokens.accessToken());
        assertThat(badRole.firstErrorCode()).isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void anAdminWhoseSessionEndedCannotGrant() {
        String admin = uniqueName();
        TokenPair adminTokens = register(admin);
        grantFirstAdmin(lambda, admin);
        graphql("mutation { logout }", Map.of(), adminTokens.accessToken());
        LambdaResponse response = graphql(GRANT, Map.of("u", admin, "r", "moderator"), adminTokens.accessToken());
        assertThat(response.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void revokingARoleEndsTheTargetsSessions() {
        String admin = uniqueName();
        String target = uniqueName();
        TokenPair adminTokens = register(admin);
        register(target);
        grantFirstAdmin(lambda, admin);
        graphql(GRANT, Map.of("u", target, "r", "moderator"), adminTokens.accessToken());
        TokenPair moderator = login(target);

        LambdaResponse revoked = graphql(REVOKE, Map.of("u", target, "r", "moderator"), adminTokens.accessToken());
        assertThat(revoked.data("revokeRole").path("roles").isEmpty()).isTrue();
        assertThat(lambda.users().findByUsername(target).orElseThrow().roles()).isEmpty();

        LambdaResponse refresh = lambda.invoke(Event.load("logged-in-user.json")
                .header("x-refresh-token", moderator.refreshToken()));
        assertThat(refresh.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(refresh.header("x-access-token")).as("no new token with the old role").isNull();
        assertThat(graphql("{ loggedInUser { username } }", Map.of(), moderator.accessToken()).firstErrorCode())
                .isEqualTo("UNAUTHENTICATED");
        // The admin's own session is untouched.
        assertThat(graphql("{ loggedInUser { roles } }", Map.of(), adminTokens.accessToken())
                .data("loggedInUser").path("roles").get(0).stringValue()).isEqualTo("admin");
    }

    /** The operator's procedure in docs/extending.md: one UpdateItem that adds the role and moves the revision on. */
    static void grantFirstAdmin(LambdaHarness lambda, String username) {
        lambda.dynamo.updateItem(request -> request.tableName(lambda.table)
                .key(Map.of("username", AttributeValue.fromS(username)))
                .updateExpression("ADD #roles :admin, #revision :one")
                .conditionExpression("attribute_exists(#userId)")
                .expressionAttributeNames(Map.of("#roles", "roles", "#revision", "revision", "#userId", "userId"))
                .expressionAttributeValues(Map.of(":admin", AttributeValue.fromSs(java.util.List.of("admin")),
                        ":one", AttributeValue.fromN("1"))));
    }

    static Principal withRoles(Principal principal, Set<String> roles) {
        return new Principal(principal.userId(), principal.username(), principal.tokenCount(), principal.sessionId(),
                roles);
    }

    /** Every claim right, signed with a key the service does not have. */
    /**
     * Every claim right, with the real token's key id and audience, signed with a key of the same
     * kind (ES256) that the service does not have: only the signature can refuse it.
     */
    static String forged(String realToken, Principal principal, Set<String> roles) {
        var real = JWT.decode(realToken);
        java.security.KeyPair stranger;
        try {
            var generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            stranger = generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        var builder = JWT.create().withKeyId(real.getKeyId()).withIssuer(real.getIssuer())
                .withAudience(real.getAudience().toArray(String[]::new)).withJWTId(real.getId())
                .withSubject(principal.userId()).withClaim("username", principal.username())
                .withClaim("cnt", principal.tokenCount()).withClaim("sid", principal.sessionId())
                .withClaim("gen", 0L).withClaim("token_use", "access")
                .withIssuedAt(new java.util.Date()).withExpiresAt(new java.util.Date(System.currentTimeMillis() + 600_000));
        if (!roles.isEmpty()) {
            builder.withArrayClaim("roles", roles.toArray(String[]::new));
        }
        return builder.sign(Algorithm.ECDSA256((java.security.interfaces.ECPublicKey) stranger.getPublic(),
                (java.security.interfaces.ECPrivateKey) stranger.getPrivate()));
    }

    private LambdaResponse graphql(String query, Map<String, Object> variables, String accessToken) {
        Event event = Event.load("logged-in-user.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", query, "variables", variables)));
        if (accessToken != null) {
            event.header("x-access-token", accessToken);
        }
        return lambda.invoke(event);
    }

    private TokenPair register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).isNull();
        return pair(response, "register");
    }

    private TokenPair login(String name) {
        LambdaResponse response = lambda.invoke(Event.load("login.json").variables(credentials(name, PASSWORD)));
        assertThat(response.firstErrorCode()).isNull();
        return pair(response, "login");
    }

    private static TokenPair pair(LambdaResponse response, String field) {
        return new TokenPair(response.data(field).path("accessToken").stringValue(),
                response.data(field).path("refreshToken").stringValue());
    }
}
