package dev.tokenauth.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.Event;
import dev.tokenauth.LambdaHarness;
import dev.tokenauth.LambdaResponse;
import dev.tokenauth.token.Principal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The example module end to end through the real FunctionInvoker: the application finds it on the
 * test class path ({@link NotesModuleFactory}), and the harness creates the table it declares on
 * the DynamoDB test server. Copy this test for a new module.
 */
class NotesIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static LambdaHarness lambda;

    @BeforeAll
    static void start() {
        lambda = LambdaHarness.get();
    }

    @Test
    void aUserCreatesListsReadsAndDeletesTheirNotes() {
        String alice = register(uniqueName());
        JsonNode first = ok(graphql("mutation { createNote(text: \"first\") { id text createdAt } }", alice), "createNote");
        JsonNode second = ok(graphql("mutation { createNote(text: \"second\") { id } }", alice), "createNote");

        JsonNode mine = ok(graphql("{ myNotes { id text } }", alice), "myNotes");
        assertThat(mine).hasSize(2);
        assertThat(ok(graphql("{ note(id: \"" + first.path("id").stringValue() + "\") { text } }", alice), "note")
                .path("text").stringValue()).isEqualTo("first");

        assertThat(ok(graphql("mutation { deleteNote(id: \"" + second.path("id").stringValue() + "\") }", alice),
                "deleteNote").booleanValue()).isTrue();
        assertThat(ok(graphql("{ myNotes { id } }", alice), "myNotes")).hasSize(1);
    }

    @Test
    void nobodyReadsListsOrDeletesAnotherUsersNotes() {
        String alice = register(uniqueName());
        String mallory = register(uniqueName());
        String secretId = ok(graphql("mutation { createNote(text: \"alice's secret\") { id } }", alice), "createNote")
                .path("id").stringValue();

        LambdaResponse read = graphql("{ note(id: \"" + secretId + "\") { text } }", mallory);
        LambdaResponse missing = graphql("{ note(id: \"" + UUID.randomUUID() + "\") { text } }", mallory);
        LambdaResponse delete = graphql("mutation { deleteNote(id: \"" + secretId + "\") }", mallory);
        LambdaResponse list = graphql("{ myNotes { id text } }", mallory);

        assertThat(read.firstErrorCode()).isEqualTo("NOT_FOUND");
        assertThat(read.status()).as("a field error never changes the status").isEqualTo(200);
        assertThat(delete.status()).isEqualTo(200);
        assertThat(read.json().path("errors").path(0).path("message"))
                .as("another user's note looks exactly like no note").isEqualTo(missing.json().path("errors").path(0).path("message"));
        assertThat(delete.firstErrorCode()).isEqualTo("NOT_FOUND");
        // Field errors: the status is 200, the same for another user's note and for none at all.
        assertThat(List.of(read.status(), missing.status(), delete.status())).containsOnly(200);
        assertThat(list.data("myNotes")).isEmpty();
        for (LambdaResponse response : List.of(read, delete, list)) {
            assertThat(response.body()).doesNotContain("alice's secret");
        }
        assertThat(ok(graphql("{ myNotes { text } }", alice), "myNotes").get(0).path("text").stringValue())
                .isEqualTo("alice's secret");
    }

    @Test
    void theDirectivesGuardEveryField() {
        LambdaResponse anonymousList = graphql("{ myNotes { id } }", null);
        assertThat(anonymousList.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
        LambdaResponse anonymousCreate = graphql("mutation { createNote(text: \"x\") { id } }", null);
        assertThat(anonymousCreate.firstErrorCode()).isEqualTo("UNAUTHENTICATED");

        // A logged-out session: @authenticated trusts the token until it expires, live: true does not.
        String name = uniqueName();
        String token = register(name);
        graphql("mutation { logout }", token);
        assertThat(graphql("{ myNotes { id } }", token).firstErrorCode()).isNull();
        assertThat(graphql("mutation { createNote(text: \"after logout\") { id } }", token).firstErrorCode())
                .isEqualTo("UNAUTHENTICATED");

        // removeNote needs the moderator role in the token.
        String owner = register(uniqueName());
        String noteId = ok(graphql("mutation { createNote(text: \"moderate me\") { id } }", owner), "createNote")
                .path("id").stringValue();
        String ownerId = com.auth0.jwt.JWT.decode(owner).getSubject();
        String remove = "mutation { removeNote(ownerId: \"" + ownerId + "\", id: \"" + noteId + "\") }";
        assertThat(graphql(remove, register(uniqueName())).firstErrorCode()).isEqualTo("FORBIDDEN");
        var decoded = com.auth0.jwt.JWT.decode(owner);
        String moderator = LambdaHarness.tokens(java.time.Duration.ZERO).issue(new Principal(decoded.getSubject(),
                decoded.getClaim("username").asString(), 0, decoded.getClaim("sid").asString(),
                java.util.Set.of("moderator"))).accessToken();
        assertThat(ok(graphql(remove, moderator), "removeNote").booleanValue()).isTrue();
    }

    @Test
    void badInputIsTheFieldsErrorWithItsOwnExtensions() {
        String alice = register(uniqueName());
        LambdaResponse blank = graphql("mutation { createNote(text: \" \") { id } }", alice);
        assertThat(blank.status()).isEqualTo(200);
        assertThat(blank.firstErrorCode()).isEqualTo("BAD_USER_INPUT");
        assertThat(blank.json().path("errors").path(0).path("extensions").path("field").stringValue()).isEqualTo("text");
        assertThat(blank.json().path("errors").path(0).path("path").get(0).stringValue()).isEqualTo("createNote");
    }

    @Test
    void aModuleCodeIsAFieldErrorLikeTheBuiltInOnes() {
        String alice = register(uniqueName());
        LambdaResponse invalid = graphql("{ note(id: \"not-a-uuid\") { text } myNotes { id } }", alice);
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.firstErrorCode()).isEqualTo(NotesError.INVALID_NOTE_ID.name());
        assertThat(invalid.data("myNotes")).isEmpty();
    }

    @Test
    void theNotesGoWithTheAccount() {
        String name = uniqueName();
        String alice = register(name);
        ok(graphql("mutation { createNote(text: \"one\") { id } }", alice), "createNote");
        ok(graphql("mutation { createNote(text: \"two\") { id } }", alice), "createNote");
        String ownerId = com.auth0.jwt.JWT.decode(alice).getSubject();
        var notes = new DynamoNotes(lambda.dynamo, lambda.tableName(NotesModuleFactory.TABLE));
        assertThat(notes.list(ownerId)).hasSize(2);

        LambdaResponse deleted = lambda.invoke(Event.load("logged-in-user.json")
                .body(Event.JSON.writeValueAsString(Map.of("query", "mutation ($p: String!) { deleteAccount(password: $p) }",
                        "variables", Map.of("p", PASSWORD))))
                .header("x-access-token", alice));
        assertThat(ok(deleted, "deleteAccount").booleanValue()).isTrue();
        assertThat(notes.list(ownerId)).as("the module's data is deleted with the account").isEmpty();
    }

    private static JsonNode ok(LambdaResponse response, String field) {
        assertThat(response.firstErrorCode()).as(response.body()).isNull();
        return response.data(field);
    }

    private static LambdaResponse graphql(String query, String accessToken) {
        Event event = Event.load("logged-in-user.json").body(Event.JSON.writeValueAsString(Map.of("query", query)));
        if (accessToken != null) {
            event.header("x-access-token", accessToken);
        }
        return lambda.invoke(event);
    }

    /** Registers a user and returns its access token. */
    private static String register(String name) {
        LambdaResponse response = lambda.invoke(Event.load("register.json")
                .variables(Map.of("username", name, "password", PASSWORD)));
        return ok(response, "register").path("accessToken").stringValue();
    }

    private static String uniqueName() {
        return "notes-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
