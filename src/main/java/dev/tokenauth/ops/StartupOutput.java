package dev.tokenauth.ops;

import java.io.PrintStream;

/**
 * Spring Cloud Function's {@code FunctionalSpringApplication} prints one {@code ======> SOURCE: ...}
 * line per source to standard output, unconditionally, while the context is prepared: the only
 * line of the log that is not JSON. This drops exactly those lines, for the start-up only.
 */
public final class StartupOutput extends PrintStream {

    static final String PREFIX = "======> ";

    private final PrintStream target;

    private StartupOutput(PrintStream target) {
        super(target, true);
        this.target = target;
    }

    /** Installs the filter on {@code System.out}, unless it is there already. */
    public static void install() {
        if (!(System.out instanceof StartupOutput)) {
            System.setOut(new StartupOutput(System.out));
        }
    }

    /** Puts back the stream the filter replaced, if nothing replaced the filter since. */
    public static void uninstall() {
        if (System.out instanceof StartupOutput filter) {
            System.setOut(filter.target);
        }
    }

    @Override
    public void println(String line) {
        if (line == null || !line.startsWith(PREFIX)) {
            target.println(line);
        }
    }
}
