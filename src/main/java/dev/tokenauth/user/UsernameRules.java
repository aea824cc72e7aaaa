package dev.tokenauth.user;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One spelling per name: Unicode-compatibility folded, trimmed and lower-cased, so "Ada" and
 * "ａｄａ" are the same account, then held to a small, URL- and log-safe alphabet.
 */
public final class UsernameRules {

    private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9._-]{2,31}");
    public static final String RULE = "3 to 32 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    private UsernameRules() {
    }

    /** The canonical form of a name, or empty if it breaks the rule. */
    public static Optional<String> canonical(String raw) {
        if (raw == null || raw.length() > 256) {
            return Optional.empty();
        }
        String folded = Normalizer.normalize(raw, Normalizer.Form.NFKC).trim().toLowerCase(Locale.ROOT);
        return ALLOWED.matcher(folded).matches() ? Optional.of(folded) : Optional.empty();
    }
}
