package dev.tokenauth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The snippets of docs/extending.md are the example module's real code: each Java block stands,
 * line for line, in one of its files (which the build compiles), and the schema and service
 * blocks are those files' contents. The template lines are checked by {@link TemplateTest}.
 */
class ExtendingDocTest {

    private static final Path EXAMPLE = ExtendingDoc.projectFile("src/test/java/dev/tokenauth/example/notes");

    @Test
    void everyJavaSnippetIsCopiedFromTheExampleModulesCode() throws IOException {
        List<String> sources;
        try (Stream<Path> files = Files.list(EXAMPLE)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).map(ExtendingDocTest::read).toList();
        }
        List<String> snippets = ExtendingDoc.blocks("java");
        assertThat(snippets).hasSizeGreaterThanOrEqualTo(5);
        for (String snippet : snippets) {
            assertThat(sources).as("a file of the example module holds this snippet:%n%s", snippet)
                    .anyMatch(source -> source.contains(snippet));
        }
    }

    @Test
    void theSchemaAndServiceBlocksAreTheExampleModulesFiles() {
        assertThat(ExtendingDoc.blocks("graphql")).containsExactly(
                read(ExtendingDoc.projectFile("src/test/resources/graphql/notes.graphqls")));
        assertThat(ExtendingDoc.blocks("text")).contains(
                read(ExtendingDoc.projectFile("src/test/resources/META-INF/services/dev.tokenauth.module.ModuleFactory")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
