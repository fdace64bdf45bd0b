package dev.hostops.broker.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;

/**
 * The outcome of a benchmark run.
 *
 * @param startedAt    ISO-8601 instant
 * @param tcpEchoFloor a raw TCP echo round trip on loopback of the same payload, or null if not measured;
 *                     a broker round trip is at least two of these (requester to broker to responder and back)
 */
public record BenchReport(String startedAt, MachineInfo machine, int payloadBytes, int warmup, int roundTrips,
        LatencyStats tcpEchoFloor, List<TargetResult> targets) {

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench report not serializable", e);
        }
    }
}
