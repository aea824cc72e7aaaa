package dev.tokenauth;

import java.time.Instant;
import java.util.Date;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * A verifier that knows nothing of this code base: nimbus-jose-jwt, given the JWKS document, the
 * issuer and the audience, as a resource server in another service would configure it.
 */
public final class Jwks {

    private Jwks() {
    }

    /**
     * ES256 as the service signs (derived nonce, lower S) under the key derived from a secret: for
     * tests that forge tokens with chosen claims.
     */
    public static com.auth0.jwt.algorithms.Algorithm es256(byte[] secret) {
        var signer = new dev.tokenauth.token.LocalEs256Signer(secret);
        return new com.auth0.jwt.algorithms.Algorithm("ES256", "SHA256withECDSA") {
            @Override
            public void verify(com.auth0.jwt.interfaces.DecodedJWT jwt) {
                throw new UnsupportedOperationException("signs only");
            }

            @Override
            public byte[] sign(byte[] content) {
                return signer.sign(content);
            }
        };
    }

    public static DefaultJWTProcessor<SecurityContext> processor(String jwksJson, String issuer, String audience,
                                                                 Instant now) throws java.text.ParseException {
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                new ImmutableJWKSet<>(JWKSet.parse(jwksJson))));
        var claims = new DefaultJWTClaimsVerifier<SecurityContext>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(now);
            }
        };
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }
}
