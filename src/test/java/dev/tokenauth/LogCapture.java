package dev.tokenauth;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Everything logged through Logback and printed to stdout and stderr between {@link #start()} and
 * {@link #stop()}, for searching for secrets.
 */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream out;
    private PrintStream err;
    private String text;
    private String output;

    static LogCapture start() {
        var capture = new LogCapture();
        capture.appender.start();
        capture.root.addAppender(capture.appender);
        capture.out = System.out;
        capture.err = System.err;
        System.setOut(new PrintStream(tee(capture.out, capture.printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(capture.err, capture.printed), true, StandardCharsets.UTF_8));
        return capture;
    }

    /** Stops capturing (idempotent) and returns all captured text. */
    synchronized String stop() {
        if (text == null) {
            System.setOut(out);
            System.setErr(err);
            root.detachAppender(appender);
            var all = new StringBuilder();
            synchronized (printed) {
                output = printed.toString(StandardCharsets.UTF_8);
            }
            all.append(output);
            for (ILoggingEvent event : appender.list) {
                all.append(event.getFormattedMessage()).append('\n');
                if (event.getThrowableProxy() != null) {
                    all.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
                }
            }
            text = all.toString();
        }
        return text;
    }

    /** Only what was printed to stdout and stderr (the process's log as Lambda sees it), once stopped. */
    synchronized String output() {
        stop();
        return output;
    }

    @Override
    public void close() {
        stop();
    }

    private static OutputStream tee(OutputStream first, ByteArrayOutputStream second) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (second) {
                    second.write(b);
                }
                try {
                    first.write(b);
                } catch (java.io.IOException ignored) {
                    // the console is best effort
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (second) {
                    second.write(b, off, len);
                }
                try {
                    first.write(b, off, len);
                } catch (java.io.IOException ignored) {
                    // the console is best effort
                }
            }
        };
    }
}
