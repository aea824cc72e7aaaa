package dev.tokenauth.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsernameRulesTest {

    @Test
    void shouldFoldCaseWidthAndSurroundingSpace() {
        assertThat(UsernameRules.canonical("  Ada ")).contains("ada");
        assertThat(UsernameRules.canonical("ＡＤＡ")).contains("ada");
        assertThat(UsernameRules.canonical("ada.lovelace_1815-x")).contains("ada.lovelace_1815-x");
    }

    @Test
    void shouldRefuseNamesOutsideTheRule() {
        for (String bad : new String[] {null, "", "ab", "a".repeat(33), "ada lovelace", ".ada", "ada@example.com",
                "x' OR '1'='1", "ad\u0000a", "ädä", "a".repeat(10_000)}) {
            assertThat(UsernameRules.canonical(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }
}
