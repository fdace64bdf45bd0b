package dev.hostops.dispatcher.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hostops.dispatcher.ledger.Anomaly;
import dev.hostops.dispatcher.ledger.ApprovalView;
import dev.hostops.dispatcher.ledger.CommandView;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * JSON for API responses: records as objects, times as ISO-8601, and a command everywhere (also
 * inside a fan-out view or an event) with its result as an object rather than a string.
 */
final class Views {
    /** Plain record mapping, used to build a command's tree before its result is inlined. */
    private static final ObjectMapper PLAIN = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A request body is one JSON object: a second object after it ({...}{...}) would be dropped
            // unseen, and of a key written twice only the last would count.
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("hostops-views")
                    .addSerializer(CommandView.class, new com.fasterxml.jackson.databind.JsonSerializer<CommandView>() {
                        @Override
                        public void serialize(CommandView c, com.fasterxml.jackson.core.JsonGenerator gen,
                                              com.fasterxml.jackson.databind.SerializerProvider provider) throws java.io.IOException {
                            gen.writeTree(command(c));
                        }
                    }))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A request body is one JSON object: a second object after it ({...}{...}) would be dropped
            // unseen, and of a key written twice only the last would count.
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Views() {}

    /** Why a body is not one JSON object, in Jackson's words without its location and source excerpt. */
    static String notJson(java.io.IOException e) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return "the body is not valid JSON" + (why == null || why.isBlank() ? "" : ": " + why.lines().findFirst().orElse(""));
    }

    static JsonNode tree(Object value) {
        if (value instanceof CommandView c) {
            return command(c);
        }
        return MAPPER.valueToTree(value);
    }

    /** The command, with {@code resultJson} replaced by the parsed {@code result}. */
    static ObjectNode command(CommandView c) {
        ObjectNode n = PLAIN.valueToTree(c);
        n.remove("resultJson");
        n.set("result", stored(c.resultJson()));
        return n;
    }

    /** A JSON document the ledger stored, as an object; as text if it does not parse; null for none. */
    private static JsonNode stored(String json) {
        if (json == null) {
            return PLAIN.nullNode();
        }
        try {
            return PLAIN.readTree(json);
        } catch (JsonProcessingException e) {
            return PLAIN.getNodeFactory().textNode(json);
        }
    }

    /**
     * One command as {@code GET /v1/commands/{id}} shows it: with the node's approval request
     * about it, if it asked one, so a caller sees why it waits and until when.
     */
    static ObjectNode command(CommandView c, Optional<ApprovalView> approval) {
        ObjectNode n = command(c);
        approval.ifPresent(a -> {
            ObjectNode o = n.putObject("approval");
            o.put("state", a.state().name());
            o.put("reason", a.reason());
            o.put("resolvedExecutable", a.resolvedExecutable());
            if (!a.env().isEmpty()) {
                o.set("env", PLAIN.valueToTree(a.env()));
            }
            o.set("requestedAt", PLAIN.valueToTree(a.requestedAt()));
            o.set("deadline", PLAIN.valueToTree(a.deadline()));
            o.put("decision", a.decision() == null ? null : a.decision().wire());
            o.put("decidedBy", a.decidedBy());
        });
        return n;
    }

    /** A result the node sent after the dispatcher had declared its command EXPIRED or LOST. */
    static ObjectNode lateResult(Anomaly a) {
        ObjectNode o = PLAIN.createObjectNode();
        o.put("status", a.received() == null ? null : a.received().name());
        o.set("receivedAt", PLAIN.valueToTree(a.at()));
        o.set("result", stored(a.payload()));
        return o;
    }

    static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value instanceof CommandView c ? command(c) : value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
