package dev.tokenauth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class UsernameDigestTest {

    private final byte[] secret = "k".repeat(64).getBytes(StandardCharsets.UTF_8);

    @Test
    void theSameNameGivesTheSameValueRegardlessOfCase() {
        var digest = UsernameDigest.derivedFrom(secret);
        assertThat(digest.of("Ada")).isEqualTo(digest.of("ada")).hasSize(2 * UsernameDigest.BYTES);
        assertThat(digest.of("ada")).isNotEqualTo(digest.of("bob"));
    }

    @Test
    void theValueDependsOnTheKeyAndRevealsNeitherNameNorKey() {
        String value = UsernameDigest.derivedFrom(secret).of("ada");
        assertThat(UsernameDigest.derivedFrom("x".repeat(64).getBytes(StandardCharsets.UTF_8)).of("ada"))
                .isNotEqualTo(value);
        assertThat(value).doesNotContain("ada").matches("[0-9a-f]+");
    }
}
