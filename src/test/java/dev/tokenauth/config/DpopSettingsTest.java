package dev.tokenauth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import dev.tokenauth.session.DpopMode;
import org.junit.jupiter.api.Test;

class DpopSettingsTest {

    @Test
    void shouldDefaultToOptionalWithTheUrlRebuiltFromTheEvent() {
        assertThat(DpopSettings.read(name -> Optional.empty())).isEqualTo(new DpopSettings(DpopMode.OPTIONAL, Optional.empty()));
    }

    @Test
    void shouldReadEachModeAndAnHttpsUrl() {
        var settings = Map.of(DpopSettings.DPOP_MODE, "Required", DpopSettings.DPOP_URL, "https://api.example.com/graphql");
        assertThat(DpopSettings.read(name -> Optional.ofNullable(settings.get(name))))
                .isEqualTo(new DpopSettings(DpopMode.REQUIRED, Optional.of("https://api.example.com/graphql")));
        assertThat(DpopSettings.read(name -> name.equals(DpopSettings.DPOP_MODE) ? Optional.of("off") : Optional.empty())
                .mode()).isEqualTo(DpopMode.OFF);
    }

    @Test
    void shouldRefuseAnUnknownModeOrAUrlThatIsNotHttpsNamingTheVariable() {
        assertThatThrownBy(() -> DpopSettings.read(name -> name.equals(DpopSettings.DPOP_MODE) ? Optional.of("on")
                : Optional.empty())).hasMessageContaining(DpopSettings.DPOP_MODE);
        for (String url : new String[] {"http://api.example.com/graphql", "https://api.example.com/graphql?x=1", "graphql"}) {
            assertThatThrownBy(() -> DpopSettings.read(name -> name.equals(DpopSettings.DPOP_URL) ? Optional.of(url)
                    : Optional.empty())).as(url).hasMessageContaining(DpopSettings.DPOP_URL);
        }
    }
}
