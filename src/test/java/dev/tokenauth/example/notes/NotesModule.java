package dev.tokenauth.example.notes;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.graphql.Auth;
import dev.tokenauth.graphql.GraphqlModule;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;

/**
 * The worked example of a module: its schema ({@code graphql/notes.graphqls}, which declares who
 * may call each field) and its resolvers, which read the caller from {@link Auth} and never from
 * an argument. A note that is not the caller's is NOT_FOUND, exactly like one that does not exist.
 * It is found on the class path through {@link NotesModuleFactory}; its notes go with the account.
 */
public final class NotesModule implements GraphqlModule {

    static final int MAX_TEXT_LENGTH = 2_000;

    private final DynamoNotes notes;
    private final Clock clock;

    public NotesModule(DynamoNotes notes, Clock clock) {
        this.notes = notes;
        this.clock = clock;
    }

    @Override
    public List<String> schemaResources() {
        return List.of("graphql/notes.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                        .dataFetcher("myNotes", myNotes())
                        .dataFetcher("note", note()))
                .type("Mutation", type -> type
                        .dataFetcher("createNote", createNote())
                        .dataFetcher("deleteNote", deleteNote())
                        .dataFetcher("removeNote", removeNote()));
    }

    private DataFetcher<List<Map<String, Object>>> myNotes() {
        return env -> notes.list(Auth.principal(env).userId()).stream().map(NotesModule::view).toList();
    }

    private DataFetcher<Map<String, Object>> note() {
        return env -> notes.find(Auth.principal(env).userId(), noteId(env.getArgument("id")))
                .map(NotesModule::view)
                .orElseThrow(NotesModule::notFound);
    }

    private DataFetcher<Map<String, Object>> createNote() {
        return env -> {
            String text = env.getArgument("text");
            if (text.isBlank() || text.length() > MAX_TEXT_LENGTH) {
                throw ApiError.builder(ErrorType.BAD_USER_INPUT)
                        .message("A note is 1 to " + MAX_TEXT_LENGTH + " characters")
                        .extension("field", "text").build();
            }
            var note = new Note(Auth.liveUser(env).userId(), UUID.randomUUID().toString(), text, clock.instant());
            notes.create(note);
            return view(note);
        };
    }

    private DataFetcher<Boolean> deleteNote() {
        return env -> {
            if (!notes.delete(Auth.liveUser(env).userId(), noteId(env.getArgument("id")))) {
                throw notFound();
            }
            return true;
        };
    }

    private DataFetcher<Boolean> removeNote() {
        return env -> {
            if (!notes.delete(env.getArgument("ownerId"), env.getArgument("id"))) {
                throw notFound();
            }
            return true;
        };
    }

    /** Everything this module stores for the user: called by deleteAccount before the account goes. */
    @Override
    public void deleteUserData(String userId) {
        notes.deleteAll(userId);
    }

    private static String noteId(String id) {
        try {
            return UUID.fromString(id).toString();
        } catch (IllegalArgumentException e) {
            throw ApiError.of(NotesError.INVALID_NOTE_ID, "A note id is a UUID");
        }
    }

    private static ApiError notFound() {
        return ApiError.of(ErrorType.NOT_FOUND, "No such note");
    }

    private static Map<String, Object> view(Note note) {
        return Map.of("id", note.id(), "text", note.text(), "createdAt", note.createdAt().toString());
    }
}
