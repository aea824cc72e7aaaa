package dev.tokenauth.module;

/**
 * A DynamoDB table a module owns, declared once: {@code resource} is its logical id in
 * {@code template.yaml} (e.g. {@code NotesTable}), {@code nameSetting} the environment variable
 * that carries its name (e.g. {@code NOTES_TABLE}), the key attributes (both strings; no sort key
 * when {@code sortKey} is null), and {@code adapter}, the class that calls DynamoDB for it: the
 * template check allows on the table exactly the calls that class makes.
 */
public record ModuleTable(String resource, String nameSetting, String partitionKey, String sortKey, Class<?> adapter) {
}
