package dev.tokenauth.graphql;

/**
 * What one GraphQL request may ask for. Each field costs 1 towards {@code maxComplexity}, or the
 * weight its {@code @cost} directive gives it in the schema; the fields that run BCrypt weigh
 * {@link #PASSWORD_FIELD_COST}. That aliases cannot batch password guesses is a rule of its own
 * ({@code @passwordCheck}: one such field per operation), not a matter of cost.
 */
public record GraphqlLimits(int maxDepth, int maxComplexity, int maxTokens, int maxCharacters,
                            boolean introspectionEnabled) {

    /** The {@code @cost} weight of login, register and changePassword; the limit must leave room for one. */
    public static final int PASSWORD_FIELD_COST = 100;

    /**
     * Real queries, the standard introspection query included, stay well under 1,000 tokens; the
     * token limit also bounds graphql-java's validation work, which grows faster than linearly
     * with chained fragments, to a small fraction of the Lambda timeout.
     */
    public static final GraphqlLimits DEFAULTS = new GraphqlLimits(15, 200, 1_000, 16_384, true);
}
