package dev.tokenauth.local;

import java.net.URI;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * The DynamoDB-compatible server the tests run against, one per test JVM. Chosen with
 * {@code -Ddynamodb.backend}: {@code dynalite} (default, needs Node.js), {@code localstack}
 * (Testcontainers, needs Docker), or {@code -Ddynamodb.endpoint=http://...} for a server you run.
 * A missing backend fails the tests with what to install; nothing is skipped.
 */
public final class DynamoDbTestServer {

    static final String LOCALSTACK_IMAGE = "localstack/localstack:4";

    private static URI endpoint;

    private DynamoDbTestServer() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            endpoint = start();
        }
        return endpoint;
    }

    private static URI start() {
        String explicit = System.getProperty("dynamodb.endpoint");
        if (explicit != null && !explicit.isBlank()) {
            return URI.create(explicit);
        }
        String backend = System.getProperty("dynamodb.backend", "dynalite");
        return switch (backend) {
            case "dynalite" -> new DynaliteProcess().endpoint();
            case "localstack" -> startLocalStack();
            default -> throw new IllegalStateException("Unknown -Ddynamodb.backend=" + backend
                    + ": use dynalite (default), localstack, or -Ddynamodb.endpoint=<url>");
        };
    }

    @SuppressWarnings("resource") // lives as long as the JVM; Testcontainers' reaper removes it
    private static URI startLocalStack() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("-Ddynamodb.backend=localstack needs a running Docker engine: "
                    + "install and start Docker, or run the tests with the default dynalite backend");
        }
        var container = new LocalStackContainer(LOCALSTACK_IMAGE).withServices("dynamodb");
        container.start();
        return container.getEndpoint();
    }
}
