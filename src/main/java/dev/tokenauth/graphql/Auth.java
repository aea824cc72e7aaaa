package dev.tokenauth.graphql;

import java.util.Optional;

import dev.tokenauth.audit.Caller;
import dev.tokenauth.error.ApiError;
import dev.tokenauth.error.ErrorType;
import dev.tokenauth.token.Principal;
import dev.tokenauth.user.User;
import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;

/**
 * Who a request speaks for, as resolvers ask it. {@link #principal} trusts the access token (no
 * store read); {@link #liveUser} also checks that the session is still live, with at most one store
 * read per request, shared by every field that asks.
 */
public final class Auth {

    private Auth() {
    }

    /** The token's principal; UNAUTHENTICATED without a valid token. */
    public static Principal principal(DataFetchingEnvironment env) {
        return context(env).principal().orElseThrow(Auth::unauthenticated);
    }

    /** The stored user, if the token's session is live; UNAUTHENTICATED otherwise. */
    public static User liveUser(DataFetchingEnvironment env) {
        return lookup(env.getGraphQlContext()).get().orElseThrow(Auth::unauthenticated);
    }

    /** Who sent the request (request id, source IP, user agent), for the domain's security events. */
    public static Caller caller(DataFetchingEnvironment env) {
        RequestContext context = env.getGraphQlContext().get(RequestContext.class);
        return context == null ? Caller.UNKNOWN : context.caller();
    }

    public static String requestId(DataFetchingEnvironment env) {
        RequestContext context = env.getGraphQlContext().get(RequestContext.class);
        return context == null ? "unknown" : context.requestId();
    }

    static ApiError unauthenticated() {
        return ApiError.of(ErrorType.UNAUTHENTICATED, "Must authenticate");
    }

    private static RequestContext context(DataFetchingEnvironment env) {
        return env.getGraphQlContext().get(RequestContext.class);
    }

    private static LiveUserLookup lookup(GraphQLContext context) {
        return context.get(LiveUserLookup.class);
    }

    /** The per-request memo of the live-user read. */
    static final class LiveUserLookup {

        private final LiveUsers users;
        private final Optional<Principal> principal;
        private Optional<User> found;

        /** {@code known}: the user authentication already holds, if any; read at most once otherwise. */
        LiveUserLookup(LiveUsers users, Optional<Principal> principal, Optional<User> known) {
            this.users = users;
            this.principal = principal;
            this.found = known.isPresent() ? known : null;
        }

        synchronized Optional<User> get() {
            if (found == null) {
                found = principal.flatMap(users::find);
            }
            return found;
        }
    }
}
