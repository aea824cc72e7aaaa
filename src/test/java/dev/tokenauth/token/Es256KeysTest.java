package dev.tokenauth.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import org.junit.jupiter.api.Test;

class Es256KeysTest {

    private static final byte[] SECRET = "access-key-0123456789-0123456789-0123456789".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldComputeThePublicKeyTheJdkPairsWithAPrivateKey() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < 20; i++) {
            var pair = generator.generateKeyPair();
            var d = ((ECPrivateKey) pair.getPrivate()).getS();
            assertThat(Es256Keys.multiply(Es256Keys.P256.getGenerator(), d))
                    .isEqualTo(((ECPublicKey) pair.getPublic()).getW());
        }
    }

    @Test
    void shouldDeriveOneKeyPerSecretAndAnotherForAnotherSecret() {
        byte[] other = "another-key-0123456789-0123456789-01234567".getBytes(StandardCharsets.UTF_8);
        assertThat(Es256Keys.derive(SECRET).publicKey().getW()).isEqualTo(Es256Keys.derive(SECRET).publicKey().getW());
        assertThat(Es256Keys.derive(SECRET).publicKey().getW()).isNotEqualTo(Es256Keys.derive(other).publicKey().getW());
        assertThat(Es256Keys.onCurve(Es256Keys.publicKey(SECRET).getW())).isTrue();
    }

    @Test
    void shouldWriteTheJwkAndItsThumbprintAsAnIndependentLibraryReadsThem() throws Exception {
        ECPublicKey key = Es256Keys.publicKey(SECRET);
        var jwk = Es256Keys.jwk(key);
        ECKey parsed = ECKey.parse(new java.util.HashMap<>(jwk));
        assertThat(parsed.getCurve()).isEqualTo(Curve.P_256);
        assertThat(parsed.toECPublicKey().getW()).isEqualTo(key.getW());
        assertThat(parsed.computeThumbprint().toString()).isEqualTo(jwk.get("kid")).isEqualTo(Es256Keys.keyId(key));
        assertThat(jwk).containsEntry("alg", "ES256").containsEntry("use", "sig").doesNotContainKey("d");
        assertThat(Es256Keys.fromJwk(jwk.get("x"), jwk.get("y")).getW()).isEqualTo(key.getW());
    }

    @Test
    void shouldRefuseAJwkPointOffTheCurve() {
        var jwk = Es256Keys.jwk(Es256Keys.publicKey(SECRET));
        assertThatThrownBy(() -> Es256Keys.fromJwk(jwk.get("x"), jwk.get("x")))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> Es256Keys.fromJwk("AAAA", jwk.get("y"))).isInstanceOf(GeneralSecurityException.class);
    }
}
