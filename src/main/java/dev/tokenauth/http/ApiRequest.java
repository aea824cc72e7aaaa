package dev.tokenauth.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.tokenauth.audit.Caller;
import dev.tokenauth.error.RequestError;

/**
 * The parts of an API Gateway proxy event this service reads, with header names case-insensitive
 * and the body decoded (base64, then strict UTF-8) within a size cap.
 */
final class ApiRequest {

    private final APIGatewayProxyRequestEvent event;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    ApiRequest(APIGatewayProxyRequestEvent event) {
        this.event = event;
        // Every value of a header, from both maps and under every spelling of its name: API Gateway
        // puts a repeated header's last value in the single map and all of them in the multi map,
        // so copies that agree are one value, and copies that differ are ambiguous.
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (name != null && value != null) {
                    add(name, value);
                }
            });
        }
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((name, values) -> {
                if (name != null && values != null) {
                    values.stream().filter(v -> v != null).forEach(value -> add(name, value));
                }
            });
        }
    }

    private void add(String name, String value) {
        List<String> values = headers.computeIfAbsent(name, key -> new ArrayList<>());
        if (!values.contains(value)) {
            values.add(value);
        }
    }

    String method() {
        return event.getHttpMethod() == null ? "" : event.getHttpMethod().toUpperCase(java.util.Locale.ROOT);
    }

    String path() {
        return event.getPath() == null ? "" : event.getPath();
    }

    /**
     * A header's only value; a header sent more than once with different values (in either map,
     * in any letter case) is refused as ambiguous.
     */
    Optional<String> header(String name) {
        List<String> values = headers.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw HttpException.badRequest("Header " + name + " was sent more than once, with different values");
        }
        return Optional.of(values.get(0));
    }

    /** The domain API Gateway was called on (its own, not a header), or null. */
    String domainName() {
        var context = event.getRequestContext();
        String domain = context == null ? null : context.getDomainName();
        return domain == null || domain.isBlank() ? null : domain;
    }

    /** The path as the client sent it, with the stage or base path in front of the route's path. */
    String pathWithStage() {
        var context = event.getRequestContext();
        return context == null || context.getPath() == null ? path() : context.getPath();
    }

    Optional<String> queryParameter(String name) {
        Map<String, List<String>> multi = event.getMultiValueQueryStringParameters();
        if (multi != null && multi.get(name) != null && multi.get(name).size() > 1) {
            throw HttpException.badRequest("Query parameter " + name + " was sent more than once");
        }
        Map<String, String> single = event.getQueryStringParameters();
        return Optional.ofNullable(single == null ? null : single.get(name));
    }

    String requestId() {
        var context = event.getRequestContext();
        return context != null && context.getRequestId() != null ? context.getRequestId() : "unknown";
    }

    /** Who sent the request, as API Gateway saw it (the source IP is API Gateway's, not a header). */
    Caller caller(String userAgent) {
        var context = event.getRequestContext();
        String sourceIp = context != null && context.getIdentity() != null ? context.getIdentity().getSourceIp() : null;
        return new Caller(requestId(), sourceIp, userAgent);
    }

    /** The body as text, or an {@link HttpException} for oversized, bad base64 or bad UTF-8 input. */
    String body(int maxBytes) {
        String raw = event.getBody();
        if (raw == null) {
            return "";
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            if (raw.length() > (maxBytes / 3 + 1) * 4) {
                throw tooLarge(maxBytes);
            }
            try {
                bytes = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                throw HttpException.badRequest("Body is marked base64 but is not valid base64");
            }
            return utf8(bytes, maxBytes);
        }
        // Counting UTF-8 bytes without copying: a char is at most 3 bytes, most are 1.
        if (raw.length() > maxBytes || utf8Length(raw) > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return raw;
    }

    private static String utf8(byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpException.badRequest("Body is not valid UTF-8");
        }
    }

    private static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            length += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return length;
    }

    private static HttpException tooLarge(int maxBytes) {
        return new HttpException(RequestError.PAYLOAD_TOO_LARGE, "Body is larger than " + maxBytes + " bytes");
    }
}
