package dev.tokenauth.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(10);

    @Test
    void shouldHashWithTheConfiguredCostAndVerify() {
        String hash = hasher.hash("correct horse battery staple");
        assertThat(hash).startsWith("$2a$10$");
        assertThat(hasher.matches("correct horse battery staple", hash)).isTrue();
        assertThat(hasher.matches("correct horse battery stapler", hash)).isFalse();
    }

    @Test
    void decoyCheckAlwaysFails() {
        assertThat(hasher.matchesDecoy("correct horse battery staple")).isFalse();
    }

    @Test
    void shouldCountBytesNotCharacters() {
        assertThat(PasswordHasher.hasAcceptableLength("1234567")).isFalse();
        assertThat(PasswordHasher.hasAcceptableLength("12345678")).isTrue();
        assertThat(PasswordHasher.hasAcceptableLength("é".repeat(36))).isTrue();
        assertThat(PasswordHasher.hasAcceptableLength("é".repeat(37))).isFalse();
    }
}
