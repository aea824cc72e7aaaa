package dev.tokenauth.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

class PasswordHasherTest {

    private static final String COMPOSED_CAFE = "caf\u00e9-au-lait";
    private static final String DECOMPOSED_CAFE = "cafe\u0301-au-lait";

    private final PasswordHasher hasher = new PasswordHasher(10);

    @Test
    void shouldHashWithTheConfiguredCostAndVerify() {
        String hash = hasher.hash("correct horse battery staple");
        assertThat(hash).startsWith("$2a$10$");
        assertThat(hasher.verify("correct horse battery staple", hash)).isEqualTo(PasswordHasher.Verdict.MATCH);
        assertThat(hasher.verify("correct horse battery stapler", hash)).isEqualTo(PasswordHasher.Verdict.MISMATCH);
    }

    @Test
    void decoyIsAWellFormedHashAtTheConfiguredCost() {
        String decoy = hasher.decoyHash();
        String real = hasher.hash("correct horse battery staple");
        // Same algorithm, version and cost as a real hash: the same BCrypt work for an unknown name.
        assertThat(decoy.substring(0, 7)).isEqualTo(real.substring(0, 7));
        assertThat(decoy).hasSameSizeAs(real);
        // BCrypt itself accepts it (a malformed hash would be refused without doing the work).
        assertThat(BCrypt.checkpw("correct horse battery staple", decoy)).isFalse();
        assertThat(new BCryptPasswordEncoder(10).upgradeEncoding(decoy)).isFalse();
        assertThat(new PasswordHasher(12).decoyHash()).startsWith("$2a$12$");
    }

    @Test
    void shouldDoTheWorkOfOneCheckAtTheConfiguredCostForADecoy() {
        var work = new RecordedWork();
        var recorded = new PasswordHasher(10, work);

        recorded.matchesDecoy("correct horse battery staple");

        // One real BCrypt comparison (it did run, against a hash BCrypt accepts) at the configured cost.
        assertThat(work.costs).containsExactly(10);
        assertThat(work.ran).isEqualTo(1);
    }

    @Test
    void shouldDoTheSameWorkForAWrongPasswordWhateverTheStoredCostAsForADecoy() {
        var work = new RecordedWork();
        var hasher12 = new PasswordHasher(12, work);
        for (int storedCost : new int[] {4, 10, 11, 12}) {
            String stored = new PasswordHasher(storedCost).hash("correct horse battery staple");
            work.clear();
            assertThat(hasher12.verify("a wrong password", stored)).isEqualTo(PasswordHasher.Verdict.MISMATCH);
            long wrongPassword = work.rounds();
            work.clear();
            hasher12.matchesDecoy("a wrong password");
            assertThat(wrongPassword).as("stored cost %d", storedCost).isEqualTo(work.rounds()).isEqualTo(1L << 12);
        }
        // The right password against a cheaper hash is padded as well, and asks for a rehash.
        work.clear();
        String weak = new PasswordHasher(10).hash("correct horse battery staple");
        assertThat(hasher12.verify("correct horse battery staple", weak)).isEqualTo(PasswordHasher.Verdict.MATCH_REHASH);
        assertThat(work.rounds()).isEqualTo(1L << 12);
    }

    @Test
    void shouldCheckThePasswordAsTypedOnlyAgainstHashesMarkedAsOfTheRawForm() {
        var work = new RecordedWork();
        var recorded = new PasswordHasher(10, work);
        String normalised = recorded.hash(COMPOSED_CAFE);

        work.clear();
        assertThat(recorded.verify(DECOMPOSED_CAFE + "-wrong", normalised)).isEqualTo(PasswordHasher.Verdict.MISMATCH);
        assertThat(work.costs).containsExactly(10);
        work.clear();
        recorded.matchesDecoy(DECOMPOSED_CAFE + "-wrong");
        assertThat(work.costs).containsExactly(10);

        String rawForm = PasswordHasher.RAW_FORM_MARK + new BCryptPasswordEncoder(10).encode(DECOMPOSED_CAFE);
        work.clear();
        assertThat(recorded.verify(DECOMPOSED_CAFE, rawForm)).isEqualTo(PasswordHasher.Verdict.MATCH_REHASH);
        assertThat(work.costs).containsExactly(10, 10);
    }

    @Test
    void shouldCountBytesNotCharacters() {
        assertThat(PasswordHasher.hasAcceptableLength("1234567")).isFalse();
        assertThat(PasswordHasher.hasAcceptableLength("12345678")).isTrue();
        assertThat(PasswordHasher.hasAcceptableLength("é".repeat(36))).isTrue();
        assertThat(PasswordHasher.hasAcceptableLength("é".repeat(37))).isFalse();
    }

    @Test
    void shouldTreatComposedAndDecomposedFormsAsOnePassword() {
        String hash = hasher.hash(COMPOSED_CAFE);
        assertThat(hasher.verify(DECOMPOSED_CAFE, hash)).isEqualTo(PasswordHasher.Verdict.MATCH);
        assertThat(hasher.verify(COMPOSED_CAFE, hasher.hash(DECOMPOSED_CAFE))).isEqualTo(PasswordHasher.Verdict.MATCH);
    }

    @Test
    void shouldNormaliseCompatibilityForms() {
        // NFKC: full-width letters and ligatures are the characters they stand for.
        String hash = hasher.hash("password-ﬁ-ＡＢ");
        assertThat(hasher.verify("password-fi-AB", hash)).isEqualTo(PasswordHasher.Verdict.MATCH);
    }

    @Test
    void shouldRefuseLoneSurrogatesInsteadOfHashingThemAsQuestionMarks() {
        String loneHigh = "abcdefgh\ud800";
        String loneLow = "abcdefgh\udc00x";
        assertThat(PasswordHasher.hasAcceptableLength(loneHigh)).isFalse();
        assertThat(PasswordHasher.hasAcceptableLength(loneLow)).isFalse();
        assertThatThrownBy(() -> hasher.hash(loneHigh)).isInstanceOf(IllegalArgumentException.class);
        String questionMark = hasher.hash("abcdefgh?");
        assertThat(hasher.verify(loneHigh, questionMark)).isEqualTo(PasswordHasher.Verdict.MISMATCH);
        // A well-formed pair is one character, not an error.
        assertThat(PasswordHasher.hasAcceptableLength("abcdefgh\ud83d\ude00")).isTrue();
    }

    @Test
    void shouldCountTheLimitAfterNormalising() {
        // U+3300 (a square katakana word) is 3 bytes as typed and 12 after NFKC: 30 bytes become 120.
        assertThat(PasswordHasher.hasAcceptableLength("\u3300".repeat(10))).isFalse();
        // U+2474 is 3 bytes and becomes "(2)", also 3: 24 of them are exactly the limit.
        assertThat(PasswordHasher.hasAcceptableLength("\u2474".repeat(24))).isTrue();
        assertThat(PasswordHasher.hasAcceptableLength("\u2474".repeat(24) + "x")).isFalse();
    }

    @Test
    void shouldVerifyHashesMarkedAsOfTheRawFormAndAskForARehash() {
        // A hash made without normalisation: of the decomposed form as typed, marked as such.
        String legacy = PasswordHasher.RAW_FORM_MARK + new BCryptPasswordEncoder(10).encode(DECOMPOSED_CAFE);
        assertThat(hasher.verify(DECOMPOSED_CAFE, legacy)).isEqualTo(PasswordHasher.Verdict.MATCH_REHASH);
        assertThat(hasher.verify(COMPOSED_CAFE, legacy)).isEqualTo(PasswordHasher.Verdict.MISMATCH);
        assertThat(hasher.verify("cafe-au-lait", legacy)).isEqualTo(PasswordHasher.Verdict.MISMATCH);
        // Unmarked, the same hash is taken as of the canonical form: the raw form is not tried.
        assertThat(hasher.verify(DECOMPOSED_CAFE, legacy.substring(PasswordHasher.RAW_FORM_MARK.length())))
                .isEqualTo(PasswordHasher.Verdict.MISMATCH);
    }

    @Test
    void shouldAskForARehashOfAHashOfAnotherCost() {
        String weak = new BCryptPasswordEncoder(4).encode("correct horse battery staple");
        assertThat(hasher.verify("correct horse battery staple", weak)).isEqualTo(PasswordHasher.Verdict.MATCH_REHASH);
        String stronger = new BCryptPasswordEncoder(11).encode("correct horse battery staple");
        assertThat(hasher.verify("correct horse battery staple", stronger)).isEqualTo(PasswordHasher.Verdict.MATCH_REHASH);
        assertThat(hasher.verify("correct horse battery staple", hasher.hash("correct horse battery staple")))
                .isEqualTo(PasswordHasher.Verdict.MATCH);
    }

    /** Every BCrypt comparison a hasher makes, by cost, done for real. */
    static final class RecordedWork implements PasswordHasher.Comparison {
        final List<Integer> costs = new ArrayList<>();
        int ran;

        @Override
        public synchronized boolean matches(String password, String bcryptHash) {
            costs.add(PasswordHasher.costOf(bcryptHash));
            boolean matched = BCrypt.checkpw(password, bcryptHash);
            ran++;
            return matched;
        }

        long rounds() {
            return costs.stream().mapToLong(cost -> 1L << cost).sum();
        }

        void clear() {
            costs.clear();
            ran = 0;
        }
    }
}
