package dev.tokenauth.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import graphql.ExecutionInput;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Document;
import org.junit.jupiter.api.Test;

class DocumentCacheTest {

    private final DocumentCache cache = new DocumentCache();
    private final AtomicInteger parses = new AtomicInteger();

    private PreparsedDocumentEntry get(String query, boolean valid) {
        Function<ExecutionInput, PreparsedDocumentEntry> parse = input -> {
            parses.incrementAndGet();
            return valid ? new PreparsedDocumentEntry(Document.newDocument().build())
                    : new PreparsedDocumentEntry(GraphqlErrorBuilder.newError().message("invalid").build());
        };
        return cache.getDocumentAsync(ExecutionInput.newExecutionInput(query).build(), parse).join();
    }

    @Test
    void parsesAndValidatesAValidQueryOnce() {
        var first = get("{ __typename }", true);
        assertThat(get("{ __typename }", true)).isSameAs(first);
        assertThat(parses).hasValue(1);
    }

    @Test
    void neverKeepsADocumentThatFailed() {
        get("{ nope }", false);
        assertThat(get("{ nope }", false).hasErrors()).isTrue();
        assertThat(parses).hasValue(2);
    }

    @Test
    void staysBounded() {
        for (int i = 0; i <= DocumentCache.MAX_ENTRIES; i++) {
            get("{ __typename } # " + i, true);
        }
        get("{ __typename } # 0", true); // the eldest was evicted
        assertThat(parses).hasValue(DocumentCache.MAX_ENTRIES + 2);
        get("{ __typename } # " + DocumentCache.MAX_ENTRIES, true); // the newest was kept
        assertThat(parses).hasValue(DocumentCache.MAX_ENTRIES + 2);
    }
}
