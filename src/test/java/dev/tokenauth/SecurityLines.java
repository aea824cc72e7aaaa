package dev.tokenauth;

import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.ops.SecurityEventLog;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The security events in a function's output: its JSON lines whose logger is {@code security}, in order. */
public final class SecurityLines {

    private SecurityLines() {
    }

    public static List<JsonNode> in(String output) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : output.lines().filter(text -> text.startsWith("{")).toList()) {
            JsonNode json;
            try {
                json = Event.JSON.readTree(line);
            } catch (JacksonException e) {
                // Not a log line of the function's (a JSON line is checked by LogSafetyIT); a
                // security event lost this way shows as missing where events are counted.
                continue;
            }
            if (json.path("logger").isString() && json.get("logger").stringValue().equals(SecurityEventLog.LOGGER)) {
                events.add(json);
            }
        }
        return events;
    }
}
