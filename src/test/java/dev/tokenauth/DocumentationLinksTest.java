package dev.tokenauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every relative link in the project's Markdown (README.md, docs/, and the READMEs next to the
 * code) points to a file that exists and, with a {@code #fragment}, to a heading in it.
 */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of(System.getProperty("project.basedir", "."));
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*)$", Pattern.MULTILINE);
    private static final Pattern CODE_BLOCK = Pattern.compile("(?s)```.*?```");

    @Test
    void everyRelativeLinkPointsToAFileAndHeadingThatExist() throws IOException {
        List<Path> documents = documents();
        assertThat(documents).contains(ROOT.resolve("README.md"));
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            Matcher links = LINK.matcher(CODE_BLOCK.matcher(Files.readString(document)).replaceAll(""));
            while (links.find()) {
                String target = links.group(1);
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto: and the like
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(document) + ": " + target + " (no such file)");
                } else if (fragment != null && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(fragment)) {
                    broken.add(ROOT.relativize(document) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).as("broken relative links").isEmpty();
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(ROOT.resolve("README.md"));
        for (String folder : List.of("docs", "src")) {
            Path dir = ROOT.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(path -> path.toString().endsWith(".md"))
                            .filter(path -> !path.toString().contains("node_modules"))
                            .forEach(documents::add);
                }
            }
        }
        return documents;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
    private static List<String> anchors(Path markdown) {
        try {
            String text = CODE_BLOCK.matcher(Files.readString(markdown)).replaceAll("");
            Matcher headings = HEADING.matcher(text);
            List<String> anchors = new ArrayList<>();
            while (headings.find()) {
                anchors.add(headings.group(1).trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-'));
            }
            return anchors;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
