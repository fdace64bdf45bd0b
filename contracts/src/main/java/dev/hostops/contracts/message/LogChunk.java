package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A piece of a command's output. Sequence numbers start at 0 per command (both streams share
 * one sequence) and have no gaps; the result says how many chunks there were.
 *
 * <p>{@code data} is the bytes decoded as UTF-8 when they are valid UTF-8 (encoding absent or
 * {@code "utf-8"}); otherwise the bytes are sent as base64 with {@code "encoding":"base64"},
 * so nothing is silently mangled.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record LogChunk(String id, String node, long seq, Stream stream, String data, String encoding, boolean eof)
        implements Message {

    public static final String BASE64 = "base64";

    public enum Stream {
        STDOUT("stdout"), STDERR("stderr");

        private final String wire;

        Stream(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Stream fromWire(String value) {
            for (Stream s : values()) {
                if (s.wire.equals(value)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("stream must be stdout or stderr, not '" + value + "'");
        }
    }

    public LogChunk {
        Checks.id(id);
        Checks.node(node);
        Checks.nonNegative(seq, "seq");
        Checks.required(stream, "stream");
        Checks.required(data, "data");
    }

    /** The chunk's bytes, decoding base64 when that is how they were carried. */
    public byte[] bytes() {
        return BASE64.equals(encoding)
                ? java.util.Base64.getDecoder().decode(data)
                : data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
