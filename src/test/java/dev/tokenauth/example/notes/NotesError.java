package dev.tokenauth.example.notes;

import dev.tokenauth.error.ErrorCode;

/** The notes module's own codes, beside the built-in ones: no core file changes for them. */
public enum NotesError implements ErrorCode {

    /** A note id that is not one this module could have made (a UUID). */
    INVALID_NOTE_ID
}
