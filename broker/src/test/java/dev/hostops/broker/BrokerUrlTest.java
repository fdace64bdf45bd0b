package dev.hostops.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BrokerUrlTest {
    @Test
    void parsesEveryScheme() {
        assertThat(BrokerUrl.parse("mqtt://127.0.0.1").port()).isEqualTo(1883);
        assertThat(BrokerUrl.parse("mqtts://broker.example").port()).isEqualTo(8883);
        BrokerUrl amqp = BrokerUrl.parse("amqp://hostops:s%40cret@rabbit:5673/prod");
        assertThat(amqp.scheme()).isEqualTo(BrokerUrl.Scheme.AMQP);
        assertThat(amqp.username()).isEqualTo("hostops");
        assertThat(amqp.password()).isEqualTo("s@cret");
        assertThat(amqp.virtualHost()).isEqualTo("prod");
        assertThat(BrokerUrl.parse("amqps://rabbit").virtualHost()).isEqualTo("/");
        BrokerUrl ipv6 = BrokerUrl.parse("mqtt://[::1]:1884");
        assertThat(ipv6.port()).isEqualTo(1884);
        assertThat(ipv6.toString()).isEqualTo("mqtt://[::1]:1884");
    }

    @Test
    void toStringNeverShowsThePasswordButTheUnredactedFormRoundTrips() {
        BrokerUrl url = BrokerUrl.parse("amqp://hostops:s%40cret@rabbit:5673/prod");
        assertThat(url.toString()).isEqualTo("amqp://hostops:***@rabbit:5673/prod").doesNotContain("cret");
        assertThat(BrokerUrl.parse(url.toUnredactedString())).isEqualTo(url);
        assertThat(BrokerUrl.parse("mqtt://127.0.0.1:1883").toUnredactedString()).isEqualTo("mqtt://127.0.0.1:1883");
    }

    @Test
    void badUrlsSayWhatIsWrongWithoutThePassword() {
        assertThatThrownBy(() -> BrokerUrl.parse("http://x")).hasMessageContaining("mqtt, mqtts, amqp or amqps");
        assertThatThrownBy(() -> BrokerUrl.parse("")).hasMessageContaining("mqtt://host:1883");
        assertThatThrownBy(() -> BrokerUrl.parse("ftp://u:topsecret@h")).hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> BrokerUrl.parse("mqtt://h:99999")).isInstanceOf(IllegalArgumentException.class);
    }
}
