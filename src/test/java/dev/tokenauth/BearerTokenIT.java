package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code Authorization: Bearer} (RFC 6750) beside {@code x-access-token}, through the real FunctionInvoker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BearerTokenIT {

    private final LambdaHarness lambda = LambdaHarness.get();
    private String name;
    private String access;
    private String refresh;

    @BeforeAll
    void register() {
        name = "bearer-" + UUID.randomUUID().toString().substring(0, 8);
        var tokens = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", "correct horse battery staple"))).data("register");
        access = tokens.path("accessToken").stringValue();
        refresh = tokens.path("refreshToken").stringValue();
    }

    @Test
    void aBearerAccessTokenAuthenticatesWhateverTheSchemesLetterCase() {
        for (String scheme : List.of("Bearer", "bearer", "BEARER")) {
            LambdaResponse response = me(Event.load("logged-in-user.json").header("Authorization", scheme + " " + access));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.data("loggedInUser").path("username").stringValue()).as(scheme).isEqualTo(name);
        }
    }

    @Test
    void theSameTokenInBothHeadersIsFineAndDifferentOnesAreA400() {
        LambdaResponse same = me(Event.load("logged-in-user.json").header("Authorization", "Bearer " + access)
                .header("x-access-token", access));
        assertThat(same.data("loggedInUser").path("username").stringValue()).isEqualTo(name);

        LambdaResponse different = me(Event.load("logged-in-user.json").header("Authorization", "Bearer " + access)
                .header("x-access-token", refresh));
        assertThat(different.status()).isEqualTo(400);
        assertThat(different.firstErrorCode()).isEqualTo("BAD_REQUEST");
        assertThat(different.json().path("errors").get(0).path("message").stringValue())
                .contains("different access tokens");
        assertThat(different.body()).doesNotContain(access, refresh);
    }

    @Test
    void aMalformedAuthorizationHeaderIsA400WithAClearMessageNotAnAnonymousRequest() {
        for (String value : List.of("Basic YWRhOnBhc3N3b3Jk", "Bearer", "Bearer  ", access, "Bearer " + access + " x",
                "Bearer\t" + access, "Token " + access, "Bearer " + access + "\u00e9")) {
            LambdaResponse response = me(Event.load("logged-in-user.json").header("Authorization", value));
            assertThat(response.status()).as(value).isEqualTo(400);
            assertThat(response.firstErrorCode()).isEqualTo("BAD_REQUEST");
            assertThat(response.json().path("errors").get(0).path("message").stringValue())
                    .isEqualTo("Authorization must be 'Bearer <access token>' (RFC 6750) or 'DPoP <access token>' (RFC 9449)");
            assertThat(response.body()).doesNotContain(access);
        }
    }

    @Test
    void aBlankAuthorizationHeaderIsNoCredentialAndAnInvalidBearerTokenIsUnauthenticatedAsInTheOtherHeader() {
        LambdaResponse blank = me(Event.load("logged-in-user.json").header("Authorization", " "));
        assertThat(blank.status()).isEqualTo(200);
        assertThat(blank.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        LambdaResponse invalid = me(Event.load("logged-in-user.json").header("Authorization", "Bearer a.b.c"));
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void aBearerAccessTokenWithARefreshTokenStillRefreshesWhenTheAccessTokenIsInvalid() {
        LambdaResponse response = me(Event.load("logged-in-user.json").header("Authorization", "Bearer a.b.c")
                .header("x-refresh-token", refresh));
        assertThat(response.data("loggedInUser").path("username").stringValue()).isEqualTo(name);
        assertThat(response.header("x-refresh-token")).isNotBlank();
    }

    @Test
    void preflightAllowsTheAuthorizationHeader() {
        LambdaResponse preflight = lambda.invoke(Event.load("preflight.json"));
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("authorization");
    }

    private LambdaResponse me(Event event) {
        return lambda.invoke(event);
    }
}
