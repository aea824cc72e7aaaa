package dev.tokenauth.example.notes;

import java.time.Instant;

/** One note of one user. */
public record Note(String ownerId, String id, String text, Instant createdAt) {
}
