package dev.tokenauth.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsernamesTest {

    @Test
    void shouldFoldCaseWidthAndSurroundingSpace() {
        assertThat(Usernames.normalize("  Ada ")).contains("ada");
        assertThat(Usernames.normalize("ＡＤＡ")).contains("ada");
        assertThat(Usernames.normalize("ada.lovelace_1815-x")).contains("ada.lovelace_1815-x");
    }

    @Test
    void shouldRefuseNamesOutsideTheRule() {
        for (String bad : new String[] {null, "", "ab", "a".repeat(33), "ada lovelace", ".ada", "ada@example.com",
                "x' OR '1'='1", "ad\u0000a", "ädä", "a".repeat(10_000)}) {
            assertThat(Usernames.normalize(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }
}
