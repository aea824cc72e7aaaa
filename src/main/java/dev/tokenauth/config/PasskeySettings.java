package dev.tokenauth.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.tokenauth.account.PasskeyPolicy;
import dev.tokenauth.module.Settings;

/**
 * The passkey settings, read through {@link AppConfig#settings()}: passkeys are on when
 * {@code WEBAUTHN_RP_ID} names the relying party, and then {@code WEBAUTHN_ORIGINS} must list
 * the origins of the pages that run the ceremonies, each the relying-party id or a subdomain of
 * it, over https (http only for localhost, which browsers treat as secure).
 */
public final class PasskeySettings {

    public static final String WEBAUTHN_RP_ID = "WEBAUTHN_RP_ID";
    public static final String WEBAUTHN_ORIGINS = "WEBAUTHN_ORIGINS";
    public static final String WEBAUTHN_CHALLENGE_SECONDS = "WEBAUTHN_CHALLENGE_SECONDS";
    /** How long the user has to answer the browser's prompt; WebAuthn suggests 5 minutes. */
    public static final int DEFAULT_CHALLENGE_SECONDS = 300;

    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private PasskeySettings() {
    }

    /** The relying party, or empty when passkeys are off; a wrong value stops the start, naming the variable. */
    public static Optional<PasskeyPolicy> read(Settings settings) {
        Optional<String> rpId = settings.get(WEBAUTHN_RP_ID);
        Optional<String> originList = settings.get(WEBAUTHN_ORIGINS);
        var problems = new ArrayList<String>();
        if (rpId.isEmpty()) {
            if (originList.isPresent()) {
                problems.add(WEBAUTHN_ORIGINS + " is set but " + WEBAUTHN_RP_ID + " is not");
            }
            fail(problems);
            return Optional.empty();
        }
        String rp = rpId.get();
        if (!DOMAIN.matcher(rp).matches()) {
            problems.add(WEBAUTHN_RP_ID + " must be a lower-case domain such as example.com, without scheme or port");
        }
        List<String> origins = originList.map(value -> Arrays.stream(value.split(","))
                .map(String::trim).filter(origin -> !origin.isEmpty()).toList()).orElse(List.of());
        if (origins.isEmpty()) {
            problems.add(WEBAUTHN_ORIGINS + " must list at least one origin, such as https://" + rp);
        }
        for (String origin : origins) {
            if (!isOriginOf(origin, rp)) {
                problems.add(WEBAUTHN_ORIGINS + " must hold origins such as https://" + rp + " or https://app." + rp
                        + " (scheme, host within " + WEBAUTHN_RP_ID + ", optional port; http only for localhost)");
                break;
            }
        }
        int seconds = DEFAULT_CHALLENGE_SECONDS;
        var challengeSeconds = settings.get(WEBAUTHN_CHALLENGE_SECONDS);
        if (challengeSeconds.isPresent()) {
            try {
                seconds = Integer.parseInt(challengeSeconds.get());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 30 || seconds > 900) {
                problems.add(WEBAUTHN_CHALLENGE_SECONDS + " must be a whole number from 30 to 900");
            }
        }
        fail(problems);
        return Optional.of(new PasskeyPolicy(rp, origins, Duration.ofSeconds(seconds)));
    }

    private static boolean isOriginOf(String origin, String rpId) {
        try {
            URI uri = new URI(origin);
            String host = uri.getHost();
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            boolean secure = "https".equals(uri.getScheme())
                    || ("http".equals(uri.getScheme()) && "localhost".equals(host));
            return host != null && bare && secure && (host.equals(rpId) || host.endsWith("." + rpId));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid configuration: " + String.join("; ", problems));
        }
    }
}
