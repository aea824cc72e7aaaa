package dev.tokenauth.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TotpKeysTest {

    private static final byte[] OLD = "the-second-factor-key-before-rotation-0123".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NEW = "the-second-factor-key-after-rotation-012345".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldStillOpenSecretsAndMatchRecoveryCodesStoredUnderThePreviousKeyDuringARotation() {
        var before = new TotpKeys(OLD, Optional.empty());
        byte[] secret = before.newSecret();
        String stored = before.encrypt("u-1", secret);
        String recovery = before.recoveryHash("u-1", "abcd-efgh-ijkl");

        var during = new TotpKeys(NEW, Optional.of(OLD));
        assertThat(during.decrypt("u-1", stored)).isEqualTo(secret);
        assertThat(during.recoveryHashes("u-1", "ABCD EFGH IJKL")).contains(recovery);
        assertThat(during.recoveryHash("u-1", "abcd-efgh-ijkl")).as("new codes are stored under the new key")
                .isNotEqualTo(recovery);

        var after = new TotpKeys(NEW, Optional.empty());
        assertThat(after.recoveryHashes("u-1", "abcd-efgh-ijkl")).doesNotContain(recovery);
    }

    @Test
    void shouldBindAStoredSecretToItsUser() {
        var keys = new TotpKeys(NEW, Optional.empty());
        String stored = keys.encrypt("u-1", keys.newSecret());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.decrypt("u-2", stored))
                .isInstanceOf(RuntimeException.class);
    }
}
