package dev.hostops.dispatcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DispatcherMetricsTest {
    @Test
    void metersUseTheDeclaredNamesAndTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DispatcherMetrics m = new DispatcherMetrics(registry);
        m.messageReceived("result");
        m.messageReceived("result");
        m.messageInvalid("log", "MALFORMED_MESSAGE");
        m.commandSubmitted("queued");
        m.commandFinished("SUCCEEDED");
        m.publishFailed("unacknowledged");
        m.httpRequest("/v1/commands", 202);
        m.sseOpened();
        AtomicInteger backlog = new AtomicInteger(3);
        m.gauge(MeterNames.PUBLISH_BACKLOG, backlog::get);

        assertThat(registry.get("hostops.dispatcher.messages.received").tag("type", "result").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("hostops.dispatcher.messages.invalid").tags("topic_kind", "log", "code", "MALFORMED_MESSAGE").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("hostops.dispatcher.http.requests").tags("route", "/v1/commands", "status", "202").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("hostops.dispatcher.sse.streams").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("hostops.dispatcher.publish.failures").tag("reason", "unacknowledged").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("hostops.dispatcher.publish.backlog").gauge().value()).isEqualTo(3.0);
        // every declared name is used once and under the common prefix
        assertThat(Arrays.stream(MeterNames.values()).map(MeterNames::meterName)).allMatch(n -> n.startsWith("hostops.dispatcher.")).doesNotHaveDuplicates();
    }
}
