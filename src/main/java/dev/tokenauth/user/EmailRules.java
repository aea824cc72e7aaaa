package dev.tokenauth.user;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One spelling per address: the local part as it was typed (RFC 5321 lets a mail server tell
 * {@code Ada} from {@code ada}), the domain case-folded and in its ASCII form, so
 * {@code Ada@Example.ORG} and {@code Ada@example.org} are one address and {@code ada@example.org}
 * another. Local parts are dot-atoms of ASCII (no quoted strings, no internationalised local parts),
 * which every mail service accepts.
 */
public final class EmailRules {

    public static final String RULE = "an e-mail address such as ada@example.org (at most 254 characters)";

    private static final Pattern LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern DOMAIN = Pattern.compile(
            "([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private EmailRules() {
    }

    /** The normalised form of an address, or empty if it is not one. */
    public static Optional<String> normalised(String raw) {
        if (raw == null || raw.length() > 320) {
            return Optional.empty();
        }
        String trimmed = raw.strip();
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            return Optional.empty();
        }
        String local = trimmed.substring(0, at);
        String domain;
        try {
            domain = IDN.toASCII(Normalizer.normalize(trimmed.substring(at + 1), Normalizer.Form.NFKC),
                    IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String address = local + "@" + domain;
        boolean valid = local.length() <= 64 && LOCAL.matcher(local).matches()
                && DOMAIN.matcher(domain).matches() && address.length() <= 254;
        return valid ? Optional.of(address) : Optional.empty();
    }
}
