package dev.tokenauth.example.notes;

import java.util.List;

import dev.tokenauth.LambdaApplication;

/**
 * The application with the notes module registered: the one line a module adds. It lives in the
 * tests, so the deployed function (whose handler names {@link LambdaApplication}) never serves it.
 */
public class NotesLambdaApplication extends LambdaApplication {

    /** The system property (an environment variable on Lambda) naming the notes table. */
    public static final String NOTES_TABLE = "NOTES_TABLE";

    public NotesLambdaApplication() {
        super(List.of((dynamo, clock) -> new NotesModule(new DynamoNotes(dynamo, System.getProperty(NOTES_TABLE)), clock)));
    }
}
