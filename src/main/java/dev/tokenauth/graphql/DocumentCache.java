package dev.tokenauth.graphql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;

/**
 * Parsed and validated documents, by query text: clients send the same few queries, so a warm
 * process parses and validates each once. Only documents that passed validation are kept (the
 * result depends on the query text and the schema alone), in a small LRU map, so that a client
 * sending ever-new queries costs a bounded amount of memory.
 */
final class DocumentCache implements PreparsedDocumentProvider {

    static final int MAX_ENTRIES = 64;
    /** Longer query texts are parsed every time rather than held in memory. */
    static final int MAX_QUERY_CHARS = 4096;

    private final Map<String, PreparsedDocumentEntry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
            ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        if (query.length() > MAX_QUERY_CHARS) {
            PreparsedDocumentEntry uncached = parseAndValidate.apply(input);
            remember(input, uncached);
            return CompletableFuture.completedFuture(uncached);
        }
        PreparsedDocumentEntry entry;
        synchronized (entries) {
            entry = entries.get(query);
        }
        if (entry == null) {
            entry = parseAndValidate.apply(input);
            if (!entry.hasErrors()) {
                synchronized (entries) {
                    entries.put(query, entry);
                }
            }
        }
        remember(input, entry);
        return CompletableFuture.completedFuture(entry);
    }

    /** The engine words variable errors by their declared types, so it keeps the document of the request. */
    private static void remember(ExecutionInput input, PreparsedDocumentEntry entry) {
        if (entry.getDocument() != null) {
            input.getGraphQLContext().put(Document.class, entry.getDocument());
        }
    }
}
