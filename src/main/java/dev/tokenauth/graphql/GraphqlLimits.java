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

    public static final GraphqlLimits DEFAULTS = new GraphqlLimits(15, 200, 2_000, 16_384, true);
}
