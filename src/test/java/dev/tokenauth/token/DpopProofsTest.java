package dev.tokenauth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.auth0.jwt.algorithms.Algorithm;
import dev.tokenauth.memory.MutableClock;
import dev.tokenauth.token.DpopProofs.InvalidProofException;
import org.junit.jupiter.api.Test;

class DpopProofsTest {

    /** RFC 9449, figure 4: a proof for a token request. */
    static final String RFC_TOKEN_REQUEST_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
            + ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ"
            + ".2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
    /** RFC 9449, figure 13: a proof for a resource request, with the hash of figure 12's access token. */
    static final String RFC_RESOURCE_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
            + ".eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9"
            + ".2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";
    static final String RFC_ACCESS_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    /** RFC 9449, section 6.1: the thumbprint of the examples' key, as cnf.jkt. */
    static final String RFC_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    static final String URL = "https://api.example.com/prod/graphql";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    final MutableClock clock = new MutableClock(NOW);
    final DpopProofs proofs = new DpopProofs(clock);
    final DpopKey key = DpopKey.generate();

    @Test
    void shouldAcceptRfc9449TokenRequestProofWithItsThumbprint() {
        clock.set(Instant.ofEpochSecond(1562262616));

        var proof = proofs.verify(RFC_TOKEN_REQUEST_PROOF, "POST", "https://server.example.com/token", null);

        assertThat(proof.thumbprint()).isEqualTo(RFC_JKT);
        assertThat(proof.jti()).isEqualTo("-BwC3ESc6acc2lTc");
        assertThat(proof.issuedAt()).isEqualTo(Instant.ofEpochSecond(1562262616));
    }

    @Test
    void shouldAcceptRfc9449ResourceProofWithItsAccessTokenHash() {
        clock.set(Instant.ofEpochSecond(1562262618));

        var proof = proofs.verify(RFC_RESOURCE_PROOF, "GET", "https://resource.example.org/protectedresource",
                RFC_ACCESS_TOKEN);

        assertThat(proof.thumbprint()).isEqualTo(RFC_JKT);
        assertThat(DpopProofs.accessTokenHash(RFC_ACCESS_TOKEN)).isEqualTo("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
    }

    @Test
    void shouldRefuseRfc9449ResourceProofForAnotherAccessTokenOrNone() {
        clock.set(Instant.ofEpochSecond(1562262618));

        assertRefused(() -> proofs.verify(RFC_RESOURCE_PROOF, "GET", "https://resource.example.org/protectedresource",
                "another-token"), "ath");
        assertRefused(() -> proofs.verify(RFC_TOKEN_REQUEST_PROOF, "POST", "https://server.example.com/token",
                RFC_ACCESS_TOKEN), "ath");
    }

    @Test
    void shouldRefuseRfc9449ProofsOutsideTheirTimeWindow() {
        clock.set(Instant.ofEpochSecond(1562262616).plus(DpopProofs.WINDOW).plusSeconds(1));
        assertRefused(() -> proofs.verify(RFC_TOKEN_REQUEST_PROOF, "POST", "https://server.example.com/token", null), "iat");

        clock.set(Instant.ofEpochSecond(1562262616).minus(DpopProofs.WINDOW).minusSeconds(1));
        assertRefused(() -> proofs.verify(RFC_TOKEN_REQUEST_PROOF, "POST", "https://server.example.com/token", null), "iat");
    }

    @Test
    void shouldAcceptAFreshProofForThisRequest() {
        String token = "access.token.value";
        var proof = proofs.verify(key.proof("POST", URL, NOW, token), "POST", URL, token);

        assertThat(proof.thumbprint()).isEqualTo(key.thumbprint());
    }

    @Test
    void shouldCompareUrlsWithoutQueryDefaultPortOrHostCase() {
        assertThat(proofs.verify(key.proof("GET", "https://API.example.com:443/prod/graphql?query=x", NOW, null),
                "GET", URL, null).thumbprint()).isEqualTo(key.thumbprint());
    }

    @Test
    void shouldRefuseAProofForAnotherUrlOrMethod() {
        assertRefused(() -> proofs.verify(key.proof("POST", "https://api.example.com/prod/other", NOW, null),
                "POST", URL, null), "htu");
        assertRefused(() -> proofs.verify(key.proof("POST", "https://evil.example.com/prod/graphql", NOW, null),
                "POST", URL, null), "htu");
        assertRefused(() -> proofs.verify(key.proof("GET", URL, NOW, null), "POST", URL, null), "htm");
    }

    @Test
    void shouldRefuseAnOldOrFutureIat() {
        assertRefused(() -> proofs.verify(key.proof("POST", URL, NOW.minus(Duration.ofMinutes(5)), null),
                "POST", URL, null), "iat");
        assertRefused(() -> proofs.verify(key.proof("POST", URL, NOW.plus(Duration.ofMinutes(5)), null),
                "POST", URL, null), "iat");
    }

    @Test
    void shouldRefuseAProofWhoseJwkIsNotItsSigner() {
        DpopKey other = DpopKey.generate();
        String forged = DpopKey.proof(Map.of("typ", "dpop+jwt", "jwk", key.publicJwk()), "POST", URL, NOW, null, "j",
                algorithmOf(other));

        assertRefused(() -> proofs.verify(forged, "POST", URL, null), "signature");
    }

    @Test
    void shouldRefuseHs256AndNone() {
        String hs256 = DpopKey.proof(Map.of("typ", "dpop+jwt", "jwk", key.publicJwk()), "POST", URL, NOW, null, "j",
                Algorithm.HMAC256("a secret of at least thirty-two bytes!!"));
        assertRefused(() -> proofs.verify(hs256, "POST", URL, null), "alg");

        String none = DpopKey.proof(Map.of("typ", "dpop+jwt", "jwk", key.publicJwk()), "POST", URL, NOW, null, "j",
                Algorithm.none());
        assertRefused(() -> proofs.verify(none, "POST", URL, null), "alg");
    }

    @Test
    void shouldRefuseAnotherTypOrAPrivateJwkOrNoJwk() {
        String jwt = DpopKey.proof(Map.of("typ", "JWT", "jwk", key.publicJwk()), "POST", URL, NOW, null, "j", signer());
        assertRefused(() -> proofs.verify(jwt, "POST", URL, null), "typ");

        var withPrivate = new HashMap<>(key.publicJwk());
        withPrivate.put("d", "AAAA");
        String leaky = DpopKey.proof(Map.of("typ", "dpop+jwt", "jwk", withPrivate), "POST", URL, NOW, null, "j", signer());
        assertRefused(() -> proofs.verify(leaky, "POST", URL, null), "public key only");

        String bare = DpopKey.proof(Map.of("typ", "dpop+jwt"), "POST", URL, NOW, null, "j", signer());
        assertRefused(() -> proofs.verify(bare, "POST", URL, null), "jwk");
    }

    @Test
    void shouldRefuseAMissingOrOverlongJti() {
        assertRefused(() -> proofs.verify(key.proof("POST", URL, NOW, null, ""), "POST", URL, null), "jti");
        assertRefused(() -> proofs.verify(key.proof("POST", URL, NOW, null, "x".repeat(65)), "POST", URL, null), "jti");
    }

    @Test
    void shouldRefuseGarbageWithoutRepeatingIt() {
        String garbage = Base64.getUrlEncoder().encodeToString("not a jwt".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> proofs.verify(garbage, "POST", URL, null))
                .isInstanceOf(InvalidProofException.class)
                .hasMessageNotContaining(garbage);
    }

    private Algorithm signer() {
        return algorithmOf(key);
    }

    private static Algorithm algorithmOf(DpopKey key) {
        return key.algorithm();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String why) {
        assertThatThrownBy(call).isInstanceOf(InvalidProofException.class).hasMessageContaining(why);
    }
}
