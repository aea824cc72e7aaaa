package dev.tokenauth.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access token of a request: {@code Authorization: Bearer <token>} (RFC 6750, section 2.1),
 * {@code Authorization: DPoP <token>} (RFC 9449, section 7.1; the proof is checked whatever the
 * header, by the token's {@code cnf}) or {@code x-access-token}. Both carrying different tokens, or an {@code Authorization} header that
 * is not a Bearer credential, is refused with 400: a request the client meant to authenticate
 * must not go on anonymously. Messages never repeat the header's value.
 */
final class AccessTokenHeaders {

    static final String AUTHORIZATION = "authorization";
    /** credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110, section 11.1). */
    private static final Pattern BEARER = Pattern.compile("(?i)(?:bearer|dpop) +([A-Za-z0-9\\-._~+/]+=*)");

    private AccessTokenHeaders() {
    }

    /** The access token, or null when the request carries none (blank headers count as none). */
    static String accessToken(ApiRequest request) {
        Optional<String> custom = request.header(GraphqlHttpHandler.ACCESS_TOKEN_HEADER).filter(v -> !v.isBlank());
        Optional<String> bearer = request.header(AUTHORIZATION).filter(v -> !v.isBlank())
                .map(AccessTokenHeaders::bearerToken);
        if (custom.isPresent() && bearer.isPresent() && !custom.get().equals(bearer.get())) {
            throw HttpException.badRequest("Authorization and " + GraphqlHttpHandler.ACCESS_TOKEN_HEADER
                    + " carry different access tokens: send one of them");
        }
        return bearer.or(() -> custom).orElse(null);
    }

    private static String bearerToken(String value) {
        Matcher matcher = BEARER.matcher(value.strip());
        if (!matcher.matches()) {
            throw HttpException.badRequest("Authorization must be 'Bearer <access token>' (RFC 6750) or 'DPoP <access token>' (RFC 9449)");
        }
        return matcher.group(1);
    }
}
