package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.error.ErrorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A field's error never sets the status: every field code, through the real FunctionInvoker, alone
 * and beside another field's data. Only a response with no data at all whose error is a failure of
 * the service is 500 (a bug) or 503 (the store).
 */
class FieldStatusIT {

    private final LambdaHarness lambda = LambdaHarness.of(FaultsApplication.class);

    static List<String> fieldCodes() {
        var codes = new ArrayList<String>();
        for (ErrorType type : ErrorType.values()) {
            codes.add(type.name());
        }
        codes.add(FaultsApplication.ProbeError.PROBE_CODE.name());
        return codes;
    }

    @ParameterizedTest
    @MethodSource("fieldCodes")
    void aFieldCodeAloneIs200UnlessTheServiceFailed(String code) {
        LambdaResponse alone = query("{ fail(code: \"" + code + "\") }");
        int expected = code.equals("INTERNAL_SERVER_ERROR") ? 500 : code.equals("SERVICE_UNAVAILABLE") ? 503 : 200;
        assertThat(alone.status()).as(alone.body()).isEqualTo(expected);
        assertThat(alone.firstErrorCode()).isEqualTo(code);
        assertThat(alone.json().path("errors").path(0).path("path").get(0).stringValue()).isEqualTo("fail");
    }

    @ParameterizedTest
    @MethodSource("fieldCodes")
    void aFieldCodeBesideDataIs200WithTheData(String code) {
        LambdaResponse beside = query("{ ok fail(code: \"" + code + "\") }");
        assertThat(beside.status()).as(beside.body()).isEqualTo(200);
        assertThat(beside.firstErrorCode()).isEqualTo(code);
        assertThat(beside.data("ok").stringValue()).isEqualTo("ok");
    }

    @Test
    void anUnexpectedExceptionIsInternalServerErrorWithTheRequestIdAndNoDetail() {
        LambdaResponse alone = query("{ crash }");
        assertThat(alone.status()).isEqualTo(500);
        assertThat(alone.firstErrorCode()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(alone.json().path("errors").path(0).path("extensions").path("requestId").stringValue()).isNotBlank();
        assertThat(alone.body()).doesNotContain("HashMap", "internal detail");

        LambdaResponse beside = query("{ ok crash }");
        assertThat(beside.status()).isEqualTo(200);
        assertThat(beside.data("ok").stringValue()).isEqualTo("ok");
    }

    @Test
    void nullForANonNullFieldIsInternalServerErrorInTheApisWords() {
        LambdaResponse alone = query("{ nullForNonNull }");
        assertThat(alone.status()).as(alone.body()).isEqualTo(500);
        assertThat(alone.firstErrorCode()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(alone.json().path("errors").path(0).path("message").stringValue()).isEqualTo("Internal server error");
        assertThat(alone.json().path("errors").path(0).path("extensions").path("requestId").stringValue()).isNotBlank();
        assertThat(alone.body()).doesNotContainIgnoringCase("non null").doesNotContain("wrongly", "graphql");

        LambdaResponse beside = query("{ ok probe { nullForNonNull } }");
        assertThat(beside.status()).as(beside.body()).isEqualTo(200);
        assertThat(beside.firstErrorCode()).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(beside.data("ok").stringValue()).isEqualTo("ok");
    }

    @Test
    void grantRoleForAnUnknownNameBesideASuccessfulGrantIs200WithTheOtherFieldsData() {
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        String target = "target-" + UUID.randomUUID().toString().substring(0, 8);
        String adminToken = register(admin);
        register(target);
        AuthDirectivesIT.grantFirstAdmin(lambda, admin);
        LambdaResponse response = lambda.invoke(Event.load("logged-in-user.json")
                .body(Event.JSON.writeValueAsString(Map.of("query",
                        "mutation { found: grantRole(username: \"" + target + "\", role: \"editor\") { username } "
                                + "missing: grantRole(username: \"nobody-" + target + "\", role: \"editor\") { username } }")))
                .header("x-access-token", adminToken));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.data("found").path("username").stringValue()).isEqualTo(target);
        assertThat(response.firstErrorCode()).isEqualTo("NOT_FOUND");
    }

    private LambdaResponse query(String query) {
        return lambda.invoke(Event.load("logged-in-user.json").body(Event.JSON.writeValueAsString(Map.of("query", query))));
    }

    private String register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", "correct horse battery staple")));
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return response.data("register").path("accessToken").stringValue();
    }
}
