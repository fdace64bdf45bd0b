package dev.hostops.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.MessageType;
import dev.hostops.contracts.message.Presence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every enum the schemas list has exactly the wire names of its Java enum, in the same order. */
class SchemaEnumsTest {

    @Test
    void commonEnums() {
        JsonNode defs = Schemas.document("common.schema.json").get("$defs");
        assertThat(values(defs.get("security"))).isEqualTo(wire(SecurityMode.values(), SecurityMode::wire));
        assertThat(values(defs.get("ask"))).isEqualTo(wire(AskMode.values(), AskMode::wire));
        assertThat(values(defs.get("commandStatus"))).isEqualTo(wire(CommandStatus.values(), CommandStatus::name));
        assertThat(values(defs.get("terminalStatus"))).isEqualTo(
                Arrays.stream(CommandStatus.values()).filter(CommandStatus::isTerminal).map(CommandStatus::name).toList());
    }

    @Test
    void messageEnums() {
        assertThat(values(property("log", "stream"))).isEqualTo(wire(LogChunk.Stream.values(), LogChunk.Stream::wire));
        assertThat(values(property("log", "encoding"))).containsExactly(LogChunk.UTF_8, LogChunk.BASE64, null);
        assertThat(values(property("presence", "state"))).isEqualTo(wire(Presence.State.values(), Presence.State::wire));
        assertThat(values(property("approval_decision", "decision")))
                .isEqualTo(wire(ApprovalDecision.Decision.values(), ApprovalDecision.Decision::wire));
        assertThat(values(Schemas.document("message.schema.json").get("properties").get("type")))
                .isEqualTo(wire(MessageType.values(), MessageType::wire));
    }

    @Test
    void typeConstsAndIdPatternsMatchJava() {
        for (MessageType t : MessageType.values()) {
            assertThat(property(t.wire(), "type").get("const").asText()).isEqualTo(t.wire());
        }
        JsonNode defs = Schemas.document("common.schema.json").get("$defs");
        assertThat(defs.get("nodeId").get("pattern").asText()).isEqualTo(dev.hostops.contracts.NodeId.SCHEMA_PATTERN);
        assertThat(defs.get("commandId").get("pattern").asText()).isEqualTo(dev.hostops.contracts.CommandId.PATTERN);
    }

    private static JsonNode property(String type, String name) {
        return Schemas.document(type + ".schema.json").get("properties").get(name);
    }

    private static List<String> values(JsonNode schema) {
        List<String> out = new ArrayList<>();
        schema.get("enum").forEach(n -> out.add(n.isNull() ? null : n.asText()));
        return out;
    }

    private static <E> List<String> wire(E[] constants, Function<E, String> name) {
        return Arrays.stream(constants).map(name).toList();
    }
}
