package dev.tokenauth.error;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the domain and the resolvers throw to tell the client something: the message is shown as
 * it is, the code becomes {@code extensions.code}, and any extensions are added beside it. Thrown
 * in a resolver (or a service it calls), it is that field's error; the engine adds the path and
 * location. Expected outcomes, never logged: no stack trace is filled.
 */
public class ApiError extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> extensions;

    protected ApiError(Builder builder) {
        super(builder.message, null, false, false);
        this.code = builder.code;
        this.extensions = Map.copyOf(builder.extensions);
    }

    public static ApiError of(ErrorCode code, String message) {
        return builder(code).message(message).build();
    }

    public static Builder builder(ErrorCode code) {
        return new Builder(code);
    }

    public static ApiError unauthenticated() {
        return of(ErrorType.UNAUTHENTICATED, "Must authenticate");
    }

    public static ApiError badUserInput(String message) {
        return of(ErrorType.BAD_USER_INPUT, message);
    }

    public ErrorCode code() {
        return code;
    }

    /** The entries of {@code extensions} beside {@code code}. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** For the throttled codes: when a new attempt may succeed. */
    public Optional<Long> retryAfterSeconds() {
        return extensions.get(RETRY_AFTER_SECONDS) instanceof Long seconds ? Optional.of(seconds) : Optional.empty();
    }

    static final String RETRY_AFTER_SECONDS = "retryAfterSeconds";

    public static class Builder {

        private final ErrorCode code;
        private final Map<String, Object> extensions = new LinkedHashMap<>();
        private String message;

        protected Builder(ErrorCode code) {
            if (code == null) {
                throw new IllegalArgumentException("an error needs a code");
            }
            this.code = code;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /** One more entry of {@code extensions}, beside {@code code}. */
        public Builder extension(String name, Object value) {
            extensions.put(name, value);
            return this;
        }

        public Builder retryAfterSeconds(long seconds) {
            return extension(RETRY_AFTER_SECONDS, seconds);
        }

        public ApiError build() {
            return new ApiError(this);
        }
    }
}
