package dev.tokenauth.module;

import java.util.Optional;

/** The application's configuration as a module reads it: one value per name, trimmed, never blank. */
@FunctionalInterface
public interface Settings {

    Optional<String> get(String name);

    /** The value; a missing one stops the start with a message that names the setting (never a value). */
    default String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException("Missing required setting " + name));
    }
}
