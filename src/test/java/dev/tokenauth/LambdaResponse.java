package dev.tokenauth;

import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/** The API Gateway proxy response as the Lambda runtime would return it. */
public record LambdaResponse(JsonNode raw) {

    /** Reads the response event JSON that a Lambda runtime would return. */
    public static LambdaResponse parse(String json) {
        return new LambdaResponse(Event.JSON.readTree(json));
    }

    public int status() {
        return raw.get("statusCode").asInt();
    }

    public Map<String, String> headers() {
        var headers = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        JsonNode node = raw.get("headers");
        if (node != null && node.isObject()) {
            node.properties().forEach(entry -> headers.put(entry.getKey(), entry.getValue().stringValue()));
        }
        return headers;
    }

    public String header(String name) {
        return headers().get(name);
    }

    public String body() {
        return raw.get("body").stringValue();
    }

    public JsonNode json() {
        return Event.JSON.readTree(body());
    }

    /** {@code data.<field>}, for the common one-field operation. */
    public JsonNode data(String field) {
        return json().path("data").path(field);
    }

    /** {@code errors[0].extensions.code}, or null. */
    public String firstErrorCode() {
        JsonNode code = json().path("errors").path(0).path("extensions").path("code");
        return code.isMissingNode() ? null : code.stringValue();
    }
}
