package dev.tokenauth.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;
import org.springframework.boot.json.JsonWriter;

/**
 * Logback's configuration until Spring Boot applies its own (application.properties): the few
 * lines logged before that, such as the adapter's "Main class" line, are JSON with the same field
 * names as Boot's structured lines, at INFO rather than Logback's default DEBUG. Found by Logback
 * through {@code META-INF/services}, as Logback looks for its configurators.
 */
public final class StartupLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        var layout = new JsonLayout();
        layout.setContext(context);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        var console = new ConsoleAppender<ILoggingEvent>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** One JSON object per event: timestamp, level, logger, message, thread, stack_trace. */
    static final class JsonLayout extends LayoutBase<ILoggingEvent> {

        private static final JsonWriter<Map<String, Object>> JSON = JsonWriter.standard();

        @Override
        public String doLayout(ILoggingEvent event) {
            var line = new LinkedHashMap<String, Object>();
            line.put("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            line.put("level", event.getLevel().toString());
            line.put("logger", event.getLoggerName());
            line.put("message", event.getFormattedMessage());
            line.put("thread", event.getThreadName());
            if (event.getThrowableProxy() != null) {
                line.put("stack_trace", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
            return JSON.writeToString(line) + System.lineSeparator();
        }
    }
}
