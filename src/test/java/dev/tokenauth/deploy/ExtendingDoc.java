package dev.tokenauth.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The code blocks of {@code docs/extending.md}, for the tests that hold them to the code. */
final class ExtendingDoc {

    private static final Pattern BLOCK = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

    private ExtendingDoc() {
    }

    /** The text of every code block in the language {@code language}, in order. */
    static List<String> blocks(String language) {
        var blocks = new ArrayList<String>();
        Matcher matcher = BLOCK.matcher(text());
        while (matcher.find()) {
            if (matcher.group(1).equals(language)) {
                blocks.add(matcher.group(2));
            }
        }
        return blocks;
    }

    /** The template lines the doc tells a module to add: the one YAML block that declares {@code resource}. */
    static String moduleTemplateLines(String resource) {
        List<String> yaml = blocks("yaml").stream().filter(block -> block.contains("\n  " + resource + ":\n")).toList();
        if (yaml.size() != 1) {
            throw new AssertionError("docs/extending.md should have exactly one yaml block declaring " + resource);
        }
        return yaml.get(0);
    }

    static Path projectFile(String relative) {
        return Path.of(System.getProperty("project.basedir", ".")).resolve(relative);
    }

    private static String text() {
        try {
            return Files.readString(projectFile("docs/extending.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
