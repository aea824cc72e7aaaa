package dev.tokenauth.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.sun.net.httpserver.HttpServer;
import dev.tokenauth.token.Es256Keys;
import dev.tokenauth.token.LocalEs256Signer;
import dev.tokenauth.token.Principal;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenSettings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * What issuing an access token costs with each place the ES256 key can live, per operation after
 * a warm-up, in one JVM: HS256 (before), ES256 in memory (the choice), and kms:Sign through the
 * AWS SDK against a loopback endpoint that signs at once (the SDK's own cost: request building,
 * SigV4, JSON, one HTTP exchange; a real KMS adds the network and the service's time, which
 * cannot be measured here). Also the one-off start-up cost of deriving the key.
 *
 * <p>Run: {@code src/bench/run signing}. Prints markdown rows.
 */
public final class SigningCost {

    private static final byte[] SECRET = "bench-access-key-0123456789-0123456789-0123".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REFRESH = "bench-refresh-key-0123456789-0123456789-012".getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        long startDerive = System.nanoTime();
        var signer = new LocalEs256Signer(SECRET);
        long derive = System.nanoTime() - startDerive;

        var settings = new TokenSettings("bench", SECRET, REFRESH, Duration.ofMinutes(15), Duration.ofDays(7));
        var tokens = new TokenService(settings, Clock.systemUTC());
        var ada = new Principal("u-1", "ada", 0, "s-1");
        String es256 = tokens.issue(ada).accessToken();
        Algorithm hs256 = Algorithm.HMAC256(SECRET);
        Supplier<String> hsToken = () -> JWT.create().withKeyId("k").withIssuer("bench").withSubject("u-1")
                .withClaim("username", "ada").withClaim("token_use", "access").withIssuedAt(new java.util.Date())
                .withExpiresAt(new java.util.Date(System.currentTimeMillis() + 900_000)).sign(hs256);
        String hs = hsToken.get();
        var hsVerifier = JWT.require(hs256).withIssuer("bench").build();

        System.out.println("| operation | µs per operation |");
        System.out.println("|---|---|");
        System.out.printf("| derive the P-256 key and check it (once per start, first call) | %.0f |%n", derive / 1e3);
        row("HS256 access token: sign", 20_000, hsToken::get);
        row("ES256 access token, key in memory: sign", 20_000, () -> signer.sign("header.payload".getBytes()));
        row("issue a pair (ES256 access + HS256 refresh)", 20_000, () -> tokens.issue(ada));
        row("HS256 access token: verify", 20_000, () -> hsVerifier.verify(hs));
        // A token seen for the first time is verified; the same string again is found among the verified ones.
        var fresh = new java.util.ArrayList<String>();
        for (int i = 0; i < 4_000; i++) {
            fresh.add(tokens.issue(new Principal("u-1", "ada", 0, "s-" + i)).accessToken());
        }
        var next = fresh.iterator();
        row("ES256 access token: verify, first time", 2_000, () -> tokens.verifyAccess(next.next()));
        row("ES256 access token: verify, the same token again", 20_000, () -> tokens.verifyAccess(es256));

        HttpServer kms = fakeKms();
        try {
            KmsClient client = KmsClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .endpointOverride(URI.create("http://127.0.0.1:" + kms.getAddress().getPort()))
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .build();
            row("ES256 through kms:Sign, SDK to a loopback endpoint (no network, no KMS)", 3_000, () ->
                    client.sign(request -> request.keyId("alias/bench").signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                            .messageType(MessageType.RAW).message(SdkBytes.fromUtf8String("header.payload"))));
        } finally {
            kms.stop(0);
        }
    }

    private static void row(String what, int iterations, Supplier<?> operation) {
        for (int i = 0; i < iterations; i++) {
            operation.get();
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            operation.get();
        }
        System.out.printf("| %s | %.1f |%n", what, (System.nanoTime() - start) / 1e3 / iterations);
    }

    /** Answers Sign like KMS (a DER signature, base64 in JSON) with one signature made up front. */
    private static HttpServer fakeKms() throws Exception {
        var key = Es256Keys.derive(SECRET);
        var signature = java.security.Signature.getInstance("SHA256withECDSA");
        signature.initSign(key.privateKey());
        signature.update("header.payload".getBytes(StandardCharsets.UTF_8));
        String body = "{\"KeyId\":\"arn:aws:kms:eu-west-1:1:key/bench\",\"Signature\":\""
                + Base64.getEncoder().encodeToString(signature.sign()) + "\",\"SigningAlgorithm\":\"ECDSA_SHA_256\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return server;
    }
}
