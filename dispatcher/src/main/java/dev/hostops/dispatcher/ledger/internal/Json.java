package dev.hostops.dispatcher.ledger.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.codec.MessageFormatException;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Result;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** JSON in ledger columns: messages in their wire form, lists and maps as plain JSON. */
final class Json {
    private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private final MessageCodec codec;
    private final ObjectMapper mapper;

    Json(MessageCodec codec) {
        this.codec = codec;
        this.mapper = codec.mapper();
    }

    /** The message's wire form ({@link MessageCodec#encodeToString}). */
    String encode(Message message) {
        return codec.encodeToString(message);
    }

    Exec exec(String json) {
        return decode(json, Exec.class);
    }

    Result result(String json) {
        return decode(json, Result.class);
    }

    private <T extends Message> T decode(String json, Class<T> type) {
        try {
            // No size limit here: the ledger only reads back what it wrote itself.
            return codec.decode(json.getBytes(StandardCharsets.UTF_8), type);
        } catch (MessageFormatException e) {
            throw new IllegalStateException("the ledger holds a " + type.getSimpleName() + " it cannot read: " + e.getMessage(), e);
        }
    }

    String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> list(String json) {
        return json == null ? List.of() : read(json, LIST);
    }

    Map<String, String> map(String json) {
        return json == null ? Map.of() : read(json, MAP);
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
