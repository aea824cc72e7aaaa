package dev.tokenauth;

import static dev.tokenauth.GraphqlFunctionIT.credentials;
import static dev.tokenauth.GraphqlFunctionIT.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.tokenauth.user.PasswordHasher;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One password, one form (NIST SP 800-63B): passwords are compared as NFKC-normalised, well-formed
 * Unicode, through the deployed handler.
 */
class PasswordFormsIT {

    private static final String COMPOSED = "caf\u00e9 au lait";
    private static final String DECOMPOSED = "cafe\u0301 au lait";

    private final LambdaHarness lambda = LambdaHarness.get();

    @Test
    void composedAndDecomposedFormsAreOnePassword() {
        String name = uniqueName();
        assertThat(call("register.json", name, DECOMPOSED).firstErrorCode()).isNull();
        LambdaResponse login = call("login.json", name, COMPOSED);
        assertThat(login.firstErrorCode()).isNull();
        assertThat(login.data("login").path("accessToken").stringValue()).isNotBlank();
    }

    @Test
    void illFormedUnicodeIsRefusedNotHashedAsAQuestionMark() {
        String name = uniqueName();
        LambdaResponse refused = lambda.invoke(Event.load("register.json").body(credentialsBody("register", name, "abcdefgh\\ud800")));
        assertThat(refused.firstErrorCode()).isEqualTo("BAD_USER_INPUT");

        assertThat(call("register.json", name, "abcdefgh?").firstErrorCode()).isNull();
        LambdaResponse login = lambda.invoke(Event.load("login.json").body(credentialsBody("login", name, "abcdefgh\\ud800")));
        assertThat(login.firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void aHashMarkedAsOfTheRawFormStillLogsInAndIsReplacedByTheCanonicalOne() {
        String name = uniqueName();
        assertThat(call("register.json", name, "placeholder password").firstErrorCode()).isNull();
        // A hash made without normalisation: of the decomposed form as typed, marked as such.
        String legacy = PasswordHasher.RAW_FORM_MARK + new BCryptPasswordEncoder(10).encode(DECOMPOSED);
        lambda.dynamo.updateItem(request -> request.tableName(lambda.table)
                .key(Map.of("username", AttributeValue.fromS(name)))
                .updateExpression("SET passwordHash = :hash")
                .expressionAttributeValues(Map.of(":hash", AttributeValue.fromS(legacy))));

        assertThat(call("login.json", name, COMPOSED).firstErrorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(call("login.json", name, DECOMPOSED).firstErrorCode()).isNull();
        assertThat(storedHash(name)).isNotEqualTo(legacy).doesNotStartWith(PasswordHasher.RAW_FORM_MARK);
        assertThat(call("login.json", name, COMPOSED).firstErrorCode()).isNull();
    }

    private LambdaResponse call(String event, String name, String password) {
        return lambda.invoke(Event.load(event).variables(credentials(name, password)));
    }

    /** The event's query with variables written by hand, so that a JSON escape reaches the server as sent. */
    private static String credentialsBody(String mutation, String name, String escapedPassword) {
        return "{\"query\":\"mutation($username: String!, $password: String!) { " + mutation + "(username: $username, "
                + "password: $password) { accessToken } }\",\"variables\":{\"username\":\"" + name
                + "\",\"password\":\"" + escapedPassword + "\"}}";
    }

    private String storedHash(String name) {
        return lambda.dynamo.getItem(request -> request.tableName(lambda.table)
                .key(Map.of("username", AttributeValue.fromS(name))).consistentRead(true))
                .item().get("passwordHash").s();
    }
}
