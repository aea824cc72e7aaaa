package dev.tokenauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** An API Gateway proxy event from {@code events/}, with the changes one test makes to it. */
public final class Event {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path EVENTS = Path.of(System.getProperty("events.dir", "events"));

    private final ObjectNode tree;

    private Event(ObjectNode tree) {
        this.tree = tree;
    }

    /**
     * The event from the file, from a source address of its own (TEST-NET-2): registrations are
     * limited per address, and tests that do not test that limit must not share one.
     */
    public static Event load(String file) {
        try {
            var event = new Event((ObjectNode) JSON.readTree(Files.readString(EVENTS.resolve(file))));
            var random = java.util.concurrent.ThreadLocalRandom.current();
            return event.sourceIp("198.51." + random.nextInt(100, 256) + "." + random.nextInt(1, 255));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets {@code requestContext.identity.sourceIp}, the address API Gateway saw. */
    public Event sourceIp(String address) {
        ObjectNode context = tree.get("requestContext") instanceof ObjectNode node ? node : tree.putObject("requestContext");
        ObjectNode identity = context.get("identity") instanceof ObjectNode node ? node : context.putObject("identity");
        identity.put("sourceIp", address);
        return this;
    }

    /** Sets {@code requestContext.requestId}, API Gateway's id of the request. */
    public Event requestId(String id) {
        ObjectNode context = tree.get("requestContext") instanceof ObjectNode node ? node : tree.putObject("requestContext");
        context.put("requestId", id);
        return this;
    }

    /** Sets a header in both maps, as API Gateway does. */
    public Event header(String name, String value) {
        headers("headers").put(name, value);
        ArrayNode values = headers("multiValueHeaders").putArray(name);
        values.add(value);
        return this;
    }

    /** A header sent twice, as API Gateway shows it: the single map keeps the last value. */
    Event repeatedHeader(String name, String first, String second) {
        headers("headers").put(name, second);
        headers("multiValueHeaders").putArray(name).add(first).add(second);
        return this;
    }

    /** One entry of the single-value header map, as sent, leaving the other map alone. */
    Event rawHeader(String map, String name, String value) {
        headers(map).put(name, value);
        return this;
    }

    /** One entry of the multi-value header map, as sent, leaving the other map alone. */
    Event rawHeaders(String map, String name, String... values) {
        ArrayNode list = headers(map).putArray(name);
        for (String value : values) {
            list.add(value);
        }
        return this;
    }

    Event withoutHeader(String name) {
        headers("headers").remove(name);
        headers("multiValueHeaders").remove(name);
        return this;
    }

    /** Replaces the GraphQL variables of a JSON body. */
    public Event variables(Map<String, Object> variables) {
        ObjectNode body = (ObjectNode) JSON.readTree(tree.get("body").stringValue());
        body.set("variables", JSON.valueToTree(variables));
        return body(body.toString());
    }

    public Event body(String body) {
        tree.put("body", body);
        tree.put("isBase64Encoded", false);
        return this;
    }

    Event base64Body(String encoded) {
        tree.put("body", encoded);
        tree.put("isBase64Encoded", true);
        return this;
    }

    public Event method(String method) {
        tree.put("httpMethod", method);
        return this;
    }

    Event path(String path) {
        tree.put("path", path);
        return this;
    }

    public Event queryParameter(String name, String value) {
        ObjectNode single = tree.get("queryStringParameters") instanceof ObjectNode node ? node
                : tree.putObject("queryStringParameters");
        single.put(name, value);
        ObjectNode multi = tree.get("multiValueQueryStringParameters") instanceof ObjectNode node ? node
                : tree.putObject("multiValueQueryStringParameters");
        multi.putArray(name).add(value);
        return this;
    }

    public byte[] bytes() {
        return tree.toString().getBytes(StandardCharsets.UTF_8);
    }

    private ObjectNode headers(String field) {
        return tree.get(field) instanceof ObjectNode node ? node : tree.putObject(field);
    }
}
