package dev.hostops.contracts.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.NodeId;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The one JSON codec for hostops messages.
 *
 * <p>Decoding is strict at the boundary: the size is checked before parsing; {@code v} must be
 * {@value #VERSION}; {@code type} must be known; required fields must be present and of the right
 * JSON type (no coercion of {@code "5"} to 5); the records' own checks run (node id pattern, empty
 * argv, ...). Unknown extra fields are ignored, so that newer peers can add optional fields.
 *
 * <p>Thread-safe; share one instance.
 */
public final class MessageCodec {
    public static final int VERSION = 1;
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private static final MessageCodec DEFAULT = new MessageCodec(DEFAULT_MAX_BYTES);

    private final int maxBytes;
    private final ObjectMapper mapper;

    public MessageCodec(int maxBytes) {
        this.maxBytes = maxBytes;
        this.mapper = newMapper();
    }

    public static MessageCodec standard() {
        return DEFAULT;
    }

    public int maxBytes() {
        return maxBytes;
    }

    /** The strict mapper the codec uses; shared for other JSON of the project (results in a store, ...). */
    public ObjectMapper mapper() {
        return mapper;
    }

    static ObjectMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .build();
        // Refuse "5" for a number and 5 for a string: a wrong type names its field.
        mapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.DateTime)
                .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Enum)
                .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Float)
                .setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(DEFAULT_MAX_BYTES * 2)
                .build());
        return mapper;
    }

    /** The message as UTF-8 JSON, with {@code v} and {@code type} first. */
    public byte[] encode(Message message) {
        try {
            return mapper.writeValueAsBytes(toTree(message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String encodeToString(Message message) {
        try {
            return mapper.writeValueAsString(toTree(message));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message as a JSON tree, with {@code v} and {@code type} first. */
    public ObjectNode toTree(Message message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("v", VERSION);
        node.put("type", message.type());
        node.setAll((ObjectNode) mapper.valueToTree(message));
        return node;
    }

    public Message decode(byte[] bytes) throws MessageFormatException {
        if (bytes.length > maxBytes) {
            throw new MessageFormatException(ErrorCode.MESSAGE_TOO_LARGE, null,
                    "message is " + bytes.length + " bytes; the maximum is " + maxBytes, null, null, null);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new MessageFormatException(ErrorCode.MALFORMED_MESSAGE, null,
                    "not valid JSON: " + firstLine(e.getMessage()), null, null, null);
        }
        return decodeTree(tree);
    }

    /** Decodes and checks that the message is of the expected type. */
    public <T extends Message> T decode(byte[] bytes, Class<T> expected) throws MessageFormatException {
        Message m = decode(bytes);
        if (!expected.isInstance(m)) {
            throw new MessageFormatException(ErrorCode.UNKNOWN_TYPE, "type",
                    "expected a " + MessageType.of(expected).wire() + " message, got " + m.type(), m.id(), m.node(), m.type());
        }
        return expected.cast(m);
    }

    public Message decodeTree(JsonNode tree) throws MessageFormatException {
        if (tree == null || !tree.isObject()) {
            throw new MessageFormatException(ErrorCode.MALFORMED_MESSAGE, null, "a message must be a JSON object", null, null, null);
        }
        String id = textOrNull(tree.get("id"));
        String nodeText = textOrNull(tree.get("node"));
        String node = NodeId.isValid(nodeText) ? nodeText : null;
        String type = textOrNull(tree.get("type"));

        JsonNode v = tree.get("v");
        if (v == null) {
            throw new MessageFormatException(ErrorCode.MISSING_FIELD, "v", "v is required (the contract version, " + VERSION + ")", id, node, type);
        }
        if (!v.isInt() || v.intValue() != VERSION) {
            throw new MessageFormatException(ErrorCode.UNSUPPORTED_VERSION, "v",
                    "unsupported contract version " + v + "; this peer speaks v " + VERSION, id, node, type);
        }
        if (type == null) {
            throw new MessageFormatException(tree.has("type") ? ErrorCode.INVALID_FIELD : ErrorCode.MISSING_FIELD, "type",
                    "type is required and must be a string", id, node, null);
        }
        MessageType messageType = MessageType.fromWire(type).orElseThrow(() -> new MessageFormatException(
                ErrorCode.UNKNOWN_TYPE, "type", "unknown message type '" + type + "'; known: "
                        + java.util.Arrays.stream(MessageType.values()).map(MessageType::wire).collect(Collectors.joining(", ")),
                id, node, type));
        if (tree.has("node") && nodeText != null && node == null) {
            throw new MessageFormatException(ErrorCode.INVALID_NODE_ID, "node",
                    "node must match [A-Za-z0-9_-]{1,64}, not '" + truncate(nodeText) + "'", id, null, type);
        }
        try {
            return mapper.treeToValue(tree, messageType.recordType());
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage() == null ? "invalid message" : cause.getMessage();
            throw new MessageFormatException(codeFor(message), fieldOf(message), message, id, node, type);
        } catch (InvalidFormatException e) {
            String field = path(e);
            Throwable cause = e.getCause();
            String detail = cause instanceof IllegalArgumentException && cause.getMessage() != null
                    ? cause.getMessage()
                    : field + " has an invalid value";
            throw new MessageFormatException(ErrorCode.INVALID_FIELD, field, detail, id, node, type);
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new MessageFormatException(ErrorCode.INVALID_FIELD, field,
                    field + " has the wrong type: " + firstLine(e.getOriginalMessage()), id, node, type);
        } catch (JsonMappingException e) {
            String field = path(e);
            Throwable cause = e.getCause();
            String detail = cause != null && cause.getMessage() != null ? cause.getMessage() : firstLine(e.getOriginalMessage());
            throw new MessageFormatException(ErrorCode.INVALID_FIELD, field, (field == null ? "" : field + ": ") + detail, id, node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MessageFormatException(ErrorCode.INVALID_FIELD, null, firstLine(e.getMessage()), id, node, type);
        }
    }

    private static ErrorCode codeFor(String message) {
        if (message.endsWith(" is required") || message.contains(" is required ")) {
            return ErrorCode.MISSING_FIELD;
        }
        if (message.startsWith("argv must not be empty")) {
            return ErrorCode.EMPTY_ARGV;
        }
        if (message.startsWith("node must match")) {
            return ErrorCode.INVALID_NODE_ID;
        }
        return ErrorCode.INVALID_FIELD;
    }

    /** Our records' checks start their message with the field name. */
    private static String fieldOf(String message) {
        int space = message.indexOf(' ');
        return space > 0 ? message.substring(0, space) : null;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
