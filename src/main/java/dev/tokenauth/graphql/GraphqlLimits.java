package dev.tokenauth.graphql;

/**
 * What one GraphQL request may ask for. Each field costs 1 towards {@code maxComplexity}, except
 * the mutations that run BCrypt (login, register, changePassword), which cost
 * {@link #PASSWORD_FIELD_COST}: with the default limit, one operation runs at most one of them, so
 * aliases cannot batch password guesses past the login throttle.
 */
public record GraphqlLimits(int maxDepth, int maxComplexity, int maxTokens, int maxCharacters,
                            boolean introspectionEnabled) {

    public static final int PASSWORD_FIELD_COST = 100;

    /**
     * Real queries, the standard introspection query included, stay well under 1,000 tokens; the
     * token limit also bounds graphql-java's validation work, which grows faster than linearly
     * with chained fragments (about 0.1 s for the 100 or so that fit).
     */
    public static final GraphqlLimits DEFAULTS = new GraphqlLimits(15, 200, 1_000, 16_384, true);
}
