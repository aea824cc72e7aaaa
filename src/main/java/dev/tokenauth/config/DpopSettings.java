package dev.tokenauth.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

import dev.tokenauth.module.Settings;
import dev.tokenauth.session.DpopMode;

/**
 * The DPoP settings (RFC 9449), read through {@link AppConfig#settings()}: {@code DPOP_MODE}
 * ({@code off}, {@code optional}, the default, or {@code required}) and {@code DPOP_URL}, the
 * GraphQL endpoint's public URL as clients call it. Without {@code DPOP_URL}, a proof's
 * {@code htu} is compared with {@code https://} + the API Gateway domain + the stage's path, both
 * from the event's request context (API Gateway's own values, not headers a client sets); behind a
 * custom domain with a base path mapping or a CDN, set {@code DPOP_URL}.
 */
public record DpopSettings(DpopMode mode, Optional<String> url) {

    public static final String DPOP_MODE = "DPOP_MODE";
    public static final String DPOP_URL = "DPOP_URL";

    /** The settings; a wrong value stops the start, naming the variable. */
    public static DpopSettings read(Settings settings) {
        String modeName = settings.get(DPOP_MODE).orElse("optional").toLowerCase(Locale.ROOT);
        DpopMode mode = switch (modeName) {
            case "off" -> DpopMode.OFF;
            case "optional" -> DpopMode.OPTIONAL;
            case "required" -> DpopMode.REQUIRED;
            default -> throw new IllegalStateException("Invalid configuration: " + DPOP_MODE
                    + " must be off, optional or required");
        };
        Optional<String> url = settings.get(DPOP_URL);
        url.ifPresent(DpopSettings::checkUrl);
        return new DpopSettings(mode, url);
    }

    private static void checkUrl(String value) {
        try {
            URI uri = new URI(value);
            boolean local = "http".equals(uri.getScheme()) && ("localhost".equals(uri.getHost())
                    || "127.0.0.1".equals(uri.getHost()));
            if ((!"https".equals(uri.getScheme()) && !local) || uri.getHost() == null || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw new URISyntaxException(value, "not an https URL without query");
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Invalid configuration: " + DPOP_URL
                    + " must be the endpoint's https URL, such as https://api.example.com/graphql (http only for localhost)");
        }
    }
}
