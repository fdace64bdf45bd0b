package dev.hostops.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.broker.bench.BenchOptions;
import dev.hostops.broker.bench.BenchReport;
import dev.hostops.broker.bench.BenchTarget;
import dev.hostops.broker.bench.TargetResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the transport benchmark working (tiny counts, the shared RabbitMQ): it measures, it
 * reports every phase, and its JSON has the fields docs/BENCHMARKS.md reads. No timing is checked.
 */
class AmqpTransportBenchSmokeTest {

    @Test
    void theBenchMeasuresRabbitMqAndTheFloorAndReportsJson() throws Exception {
        AmqpTestBroker.require().close();
        BenchOptions options = new BenchOptions(List.of(new BenchTarget("rabbitmq", AmqpTestBroker.url().withCredentials("guest", "guest"))),
                false, 10, 50, 500, 32, 64, true, Duration.ofSeconds(20));

        BenchReport report = dev.hostops.broker.bench.TransportBench.run(options);

        assertThat(report.tcpEchoFloor().count()).isEqualTo(50);
        TargetResult r = report.targets().get(0);
        assertThat(r.error()).isNull();
        assertThat(r.roundTrip().count()).isEqualTo(50);
        assertThat(r.roundTrip().p50Micros()).isPositive().isLessThanOrEqualTo(r.roundTrip().maxMicros());
        assertThat(r.throughput().complete()).isTrue();
        assertThat(r.throughput().messages()).isEqualTo(500);
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertThat(json.at("/targets/0/roundTrip/p99Micros").isNumber()).isTrue();
        assertThat(json.at("/targets/0/throughput/confirmedPerSecond").isNumber()).isTrue();
        assertThat(json.at("/machine/cpus").asInt()).isPositive();
        assertThat(json.at("/targets/0/url").asText()).isEqualTo("amqp://guest:***@127.0.0.1:5672");
    }

    @Test
    void anUnreachableBrokerIsReportedNotThrown() {
        BenchOptions options = new BenchOptions(List.of(BenchTarget.parse("nowhere=amqp://127.0.0.1:1")),
                false, 1, 1, 1, 1, 64, false, Duration.ofSeconds(5));

        TargetResult r = dev.hostops.broker.bench.TransportBench.run(options).targets().get(0);

        assertThat(r.roundTrip()).isNull();
        assertThat(r.error()).contains("round trip").contains("throughput");
    }
}
