package dev.tokenauth.graphql;

import java.util.LinkedHashMap;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.GraphqlErrorException;

/**
 * The error a resolver throws to tell the client something: its message is shown as it is, its
 * {@link ErrorCode} becomes {@code extensions.code}, and any extensions are added beside it. The
 * field's path and location are filled in by the engine. Open for modules to extend.
 */
public class ApiError extends GraphqlErrorException {

    private final ErrorCode code;

    protected ApiError(Builder builder) {
        super(builder.errorClassification(ErrorClassification.errorClassification(builder.code.name()))
                .extensions(builder.allExtensions()));
        this.code = builder.code;
    }

    /** Expected outcomes, shown to the client and never logged: no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public static ApiError of(ErrorCode code, String message) {
        return builder(code).message(message).build();
    }

    public static Builder builder(ErrorCode code) {
        return new Builder(code);
    }

    public ErrorCode code() {
        return code;
    }

    public static class Builder extends BuilderBase<Builder, ApiError> {

        private final ErrorCode code;
        private final Map<String, Object> more = new LinkedHashMap<>();

        protected Builder(ErrorCode code) {
            this.code = code;
        }

        /** One more entry of {@code extensions}, beside {@code code}. */
        public Builder extension(String name, Object value) {
            more.put(name, value);
            return this;
        }

        private Map<String, Object> allExtensions() {
            var all = new LinkedHashMap<String, Object>();
            all.put("code", code.name());
            all.putAll(more);
            return all;
        }

        @Override
        public ApiError build() {
            return new ApiError(this);
        }
    }
}
