package dev.tokenauth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.module.Settings;
import org.junit.jupiter.api.Test;

class PasskeySettingsTest {

    private static Settings settings(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }

    @Test
    void shouldLeavePasskeysOffWithoutARelyingParty() {
        assertThat(PasskeySettings.read(settings(Map.of()))).isEmpty();
    }

    @Test
    void shouldReadTheRelyingPartyItsOriginsAndTheChallengeLifetime() {
        var policy = PasskeySettings.read(settings(Map.of(PasskeySettings.WEBAUTHN_RP_ID, "example.com",
                PasskeySettings.WEBAUTHN_ORIGINS, "https://example.com, https://app.example.com:8443",
                PasskeySettings.WEBAUTHN_CHALLENGE_SECONDS, "120"))).orElseThrow();

        assertThat(policy.rpId()).isEqualTo("example.com");
        assertThat(policy.origins()).containsExactly("https://example.com", "https://app.example.com:8443");
        assertThat(policy.challengeTtl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(PasskeySettings.read(settings(Map.of(PasskeySettings.WEBAUTHN_RP_ID, "localhost",
                PasskeySettings.WEBAUTHN_ORIGINS, "http://localhost:8080"))).orElseThrow().challengeTtl())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldRefuseOriginsOutsideTheRelyingPartyOrWithoutHttpsAndNameTheVariable() {
        for (String origins : new String[] {"https://evil.com", "http://example.com", "https://example.com/login",
                "https://notexample.com", ""}) {
            assertThatThrownBy(() -> PasskeySettings.read(settings(Map.of(PasskeySettings.WEBAUTHN_RP_ID, "example.com",
                    PasskeySettings.WEBAUTHN_ORIGINS, origins))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(PasskeySettings.WEBAUTHN_ORIGINS);
        }
        assertThatThrownBy(() -> PasskeySettings.read(settings(Map.of(PasskeySettings.WEBAUTHN_RP_ID, "https://example.com",
                PasskeySettings.WEBAUTHN_ORIGINS, "https://example.com"))))
                .hasMessageContaining(PasskeySettings.WEBAUTHN_RP_ID);
        assertThatThrownBy(() -> PasskeySettings.read(settings(Map.of(PasskeySettings.WEBAUTHN_ORIGINS, "https://example.com"))))
                .hasMessageContaining(PasskeySettings.WEBAUTHN_RP_ID);
    }
}
