package dev.hostops.contracts.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.hostops.contracts.ContractViolation;

/**
 * A piece of a command's output. Sequence numbers start at 0 per command (both streams share
 * one sequence) and have no gaps; the result says how many chunks there were.
 *
 * <p>{@code data} is the bytes decoded as UTF-8 when they are valid UTF-8 (encoding absent or
 * {@code "utf-8"}); otherwise the bytes are sent as base64 with {@code "encoding":"base64"},
 * so nothing is silently mangled.
 *
 * <p>On the wire {@code seq}, {@code stream}, {@code data} and {@code eof} are always written
 * ({@code seq} 0 and {@code eof} false included); {@code encoding} only when it is base64. A reader
 * requires {@code seq}, {@code stream} and {@code data}; an absent {@code eof} means false.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogChunk(String id, String node, long seq, Stream stream, String data, String encoding, boolean eof)
        implements Message {

    public static final String BASE64 = "base64";
    public static final String UTF_8 = "utf-8";

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
            throw ContractViolation.invalid("stream", "stream must be stdout or stderr, not '" + value + "'");
        }
    }

    public LogChunk {
        Checks.id(id);
        Checks.node(node);
        Checks.nonNegative(seq, "seq");
        Checks.required(stream, "stream");
        Checks.required(data, "data");
        if (encoding != null && !encoding.equals(UTF_8) && !encoding.equals(BASE64)) {
            throw ContractViolation.invalid("encoding", "encoding must be utf-8 or base64, not '" + encoding + "'");
        }
        if (BASE64.equals(encoding) && !isStrictBase64(data)) {
            throw ContractViolation.invalid("data", "data must be padded standard base64 when encoding is base64");
        }
    }

    /** A chunk of raw bytes: UTF-8 text when they are valid UTF-8, base64 otherwise. */
    public static LogChunk of(String id, String node, long seq, Stream stream, byte[] bytes, boolean eof) {
        java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        try {
            String text = decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return new LogChunk(id, node, seq, stream, text, null, eof);
        } catch (java.nio.charset.CharacterCodingException e) {
            return new LogChunk(id, node, seq, stream, java.util.Base64.getEncoder().encodeToString(bytes), BASE64, eof);
        }
    }

    /** RFC 4648 base64 with padding, the alphabet {@code A-Z a-z 0-9 + /}, no line breaks. */
    static boolean isStrictBase64(String s) {
        int n = s.length();
        if (n % 4 != 0) {
            return false;
        }
        int pad = n > 0 && s.charAt(n - 1) == '=' ? (n > 1 && s.charAt(n - 2) == '=' ? 2 : 1) : 0;
        for (int i = 0; i < n - pad; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The chunk's bytes, decoding base64 when that is how they were carried. */
    public byte[] bytes() {
        return BASE64.equals(encoding)
                ? java.util.Base64.getDecoder().decode(data)
                : data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
