package dev.hostops.dispatcher.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hostops.dispatcher.ledger.CommandView;
import java.io.UncheckedIOException;

/** JSON for API responses: records as objects, times as ISO-8601, a command's result as an object. */
final class Views {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Views() {}

    static JsonNode tree(Object value) {
        if (value instanceof CommandView c) {
            return command(c);
        }
        return MAPPER.valueToTree(value);
    }

    /** The command, with {@code resultJson} replaced by the parsed {@code result}. */
    static ObjectNode command(CommandView c) {
        ObjectNode n = MAPPER.valueToTree(c);
        n.remove("resultJson");
        if (c.resultJson() != null) {
            try {
                n.set("result", MAPPER.readTree(c.resultJson()));
            } catch (JsonProcessingException e) {
                n.put("result", c.resultJson());
            }
        } else {
            n.putNull("result");
        }
        return n;
    }

    static String encode(Object value) {
        try {
            return MAPPER.writeValueAsString(value instanceof CommandView c ? command(c) : value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
