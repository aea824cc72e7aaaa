package dev.tokenauth.graphql;

import java.util.Set;

/** Values of {@code extensions.code} beyond {@link dev.tokenauth.user.AuthException.Code}, Apollo-style. */
public final class ErrorCodes {

    public static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
    public static final String INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR";
    public static final String BAD_REQUEST = "BAD_REQUEST";
    /** More tokens or characters than the parser accepts. */
    public static final String QUERY_TOO_LARGE = "QUERY_TOO_LARGE";
    /** Deeper or costlier than the limits allow. */
    public static final String QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX";
    public static final String INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED";

    /** Refusals of the request as a whole: always 4xx, whatever media type the client accepts. */
    public static final Set<String> LIMITS = Set.of(QUERY_TOO_LARGE, QUERY_TOO_COMPLEX, INTROSPECTION_DISABLED);

    private ErrorCodes() {
    }
}
