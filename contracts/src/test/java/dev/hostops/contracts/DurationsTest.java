package dev.hostops.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "30, PT30S", "10m, PT10M", "2h, PT2H", "7d, PT168H",
        "' 120s ', PT2M", "120S, PT2M", "10 m, PT10M", "PT30S, PT30S", "pt1m, PT1M", "0, PT0S"})
    void parsesWhatPeopleWrite(String text, String expected) {
        assertThat(Durations.parse(text, "approvalTimeout")).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "soon", "5 minutes", "-5s", "1.5s", "PT-5S", "5w", "99999999999999999999s", "9223372036854775807d"})
    void refusesAnythingElseNamingTheSetting(String text) {
        assertThatThrownBy(() -> Durations.parse(text, "approvalTimeout"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("approvalTimeout");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> Durations.parse(null, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"PT1.5S, 1500ms", "PT30S, 30s", "PT10M, 10m", "PT2H, 2h", "PT0S, 0s", "PT90S, 90s", "PT25H, 25h", "PT168H, 7d", "PT720H, 30d"})
    void formatsTheShortestExactForm(String duration, String expected) {
        assertThat(Durations.format(Duration.parse(duration))).isEqualTo(expected);
        assertThat(Durations.parse(expected, "x")).isEqualTo(Duration.parse(duration));
    }
}
