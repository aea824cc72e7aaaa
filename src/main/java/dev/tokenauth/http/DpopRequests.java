package dev.tokenauth.http;

import java.util.Optional;

import dev.tokenauth.error.RequestError;
import dev.tokenauth.token.DpopProofs;

/**
 * The HTTP side of DPoP (RFC 9449): the {@code DPoP} header, the URL a proof's {@code htu} must
 * name, and the {@code WWW-Authenticate: DPoP} challenges. The endpoint's public URL is
 * {@code DPOP_URL} when configured, otherwise {@code https://} + API Gateway's domain + the path
 * with its stage, both from the event's request context, which a client cannot set.
 */
final class DpopRequests {

    static final String DPOP_HEADER = "dpop";
    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    private static final String ALGS = "algs=\"" + String.join(" ", DpopProofs.ALGORITHMS.stream().sorted().toList()) + "\"";
    /** The challenge for a bound token sent without a valid proof from its key. */
    static final String TOKEN_CHALLENGE = "DPoP error=\"invalid_token\", error_description=\"DPoP-bound token without "
            + "a proof from its key\", " + ALGS;

    private final DpopProofs proofs;
    private final Optional<String> configuredUrl;

    DpopRequests(DpopProofs proofs, Optional<String> configuredUrl) {
        this.proofs = proofs;
        this.configuredUrl = configuredUrl;
    }

    /** The request's verified proof, or empty when it sends none; a proof that is not valid is a 401. */
    Optional<DpopProofs.Proof> proof(ApiRequest request, String accessToken) {
        Optional<String> header = request.header(DPOP_HEADER);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> url = configuredUrl.or(() -> Optional.ofNullable(request.domainName())
                .map(domain -> "https://" + domain + request.pathWithStage()));
        if (url.isEmpty()) {
            throw invalid("This server cannot tell its public URL (DPOP_URL is not set), so it cannot check DPoP proofs");
        }
        try {
            return Optional.of(proofs.verify(header.get(), request.method(), url.get(), accessToken));
        } catch (DpopProofs.InvalidProofException e) {
            throw invalid(e.getMessage());
        }
    }

    private static HttpException invalid(String message) {
        return HttpException.unauthorized(RequestError.INVALID_DPOP_PROOF, message,
                "DPoP error=\"invalid_dpop_proof\", " + ALGS);
    }
}
