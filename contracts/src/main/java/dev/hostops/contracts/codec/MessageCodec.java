package dev.hostops.contracts.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.hostops.contracts.CommandId;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.NodeId;
import dev.hostops.contracts.codec.internal.BindingErrors;
import dev.hostops.contracts.codec.internal.StrictInstantDeserializer;
import dev.hostops.contracts.codec.internal.WireTree;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.MessageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The one JSON codec for hostops messages.
 *
 * <p>Decoding is strict at the boundary: the size is checked before parsing; {@code v} must be
 * {@value #VERSION}; {@code type} must be known; required fields must be present and of the right
 * JSON type (no coercion of {@code "5"} to 5); the records' own checks run (node id pattern, empty
 * argv, ...). Unknown extra fields are ignored, so that newer peers can add optional fields.
 * An optional field that is null is the same as an absent one. Duplicate keys, trailing data after
 * the object and nesting deeper than 64 levels are refused.
 *
 * <p>The JSON Schema files under {@code dev/hostops/contracts/schema/} describe what this codec
 * accepts; the golden-message tests keep the two in step.
 *
 * <p>Thread-safe; share one instance.
 */
public final class MessageCodec {
    public static final int VERSION = 1;
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;
    /** Deeper JSON is refused while parsing; real messages nest three levels at most. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final MessageCodec DEFAULT = new MessageCodec(DEFAULT_MAX_BYTES);

    private final int maxBytes;
    private final ObjectMapper mapper;

    /** @param maxBytes the largest encoded message {@link #decode(byte[])} accepts; checked before parsing */
    public MessageCodec(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive, not " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.mapper = newMapper(maxBytes);
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

    static ObjectMapper newMapper(int maxBytes) {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                // Registered after JavaTimeModule so that it wins: Instants only from RFC 3339 strings.
                .addModule(new SimpleModule("hostops-strict-time")
                        .addDeserializer(Instant.class, new StrictInstantDeserializer()))
                // {"id":"a","id":"b"} means different things to different parsers: refuse it.
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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
                .maxNestingDepth(MAX_NESTING_DEPTH)
                // A string never has more chars than the message has bytes.
                .maxStringLength(Math.max(maxBytes, StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
                .build());
        return mapper;
    }

    /**
     * The message as UTF-8 JSON, with {@code v} and {@code type} first, then the record's fields:
     * the same text as {@link #toTree} written out, in one pass (building the tree first cost more
     * than the rest of sending a message).
     */
    public byte[] encode(Message message) {
        byte[] fields;
        try {
            fields = mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        byte[] head = ("{\"v\":" + VERSION + ",\"type\":\"" + message.type() + "\"").getBytes(StandardCharsets.UTF_8);
        if (fields.length <= 2) { // {}
            byte[] out = Arrays.copyOf(head, head.length + 1);
            out[head.length] = '}';
            return out;
        }
        byte[] out = Arrays.copyOf(head, head.length + fields.length);
        out[head.length] = ',';
        System.arraycopy(fields, 1, out, head.length + 1, fields.length - 1);
        return out;
    }

    public String encodeToString(Message message) {
        return new String(encode(message), StandardCharsets.UTF_8);
    }

    /** The message as a JSON tree, with {@code v} and {@code type} first. */
    public ObjectNode toTree(Message message) {
        ObjectNode node = mapper.createObjectNode();
        node.put("v", VERSION);
        node.put("type", message.type());
        node.setAll((ObjectNode) mapper.valueToTree(message));
        return node;
    }

    /**
     * Decodes one message.
     *
     * @throws MessageFormatException {@link ErrorCode#MESSAGE_TOO_LARGE} before parsing when the
     *         bytes exceed {@link #maxBytes()}; {@link ErrorCode#MALFORMED_MESSAGE} for bad JSON,
     *         duplicate keys, trailing data or too deep nesting; otherwise as {@link #decodeTree}
     */
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

    /**
     * Decodes a message already parsed into a tree (size and syntax are the caller's business).
     *
     * @throws MessageFormatException with the code, the field at fault and whatever of id and node
     *         were readable and valid (so that a node can still answer REJECTED)
     */
    public Message decodeTree(JsonNode tree) throws MessageFormatException {
        if (tree == null || !tree.isObject()) {
            throw new MessageFormatException(ErrorCode.MALFORMED_MESSAGE, null, "a message must be a JSON object", null, null, null);
        }
        String idText = textOrNull(tree.get("id"));
        String id = CommandId.isValid(idText) ? idText : null;
        String nodeText = textOrNull(tree.get("node"));
        String node = NodeId.isValid(nodeText) ? nodeText : null;
        String type = textOrNull(tree.get("type"));

        JsonNode v = tree.get("v");
        if (v == null || v.isNull()) {
            throw new MessageFormatException(ErrorCode.MISSING_FIELD, "v",
                    "v is required (the contract version, " + VERSION + ")", id, node, type);
        }
        if (!v.isNumber()) {
            throw new MessageFormatException(ErrorCode.INVALID_FIELD, "v",
                    "v must be the number " + VERSION + ", not " + truncate(v.toString()), id, node, type);
        }
        if (!isVersion(v)) {
            throw new MessageFormatException(ErrorCode.UNSUPPORTED_VERSION, "v",
                    "unsupported contract version " + truncate(v.toString()) + "; this peer speaks v " + VERSION, id, node, type);
        }
        if (type == null) {
            boolean present = tree.hasNonNull("type");
            throw new MessageFormatException(present ? ErrorCode.INVALID_FIELD : ErrorCode.MISSING_FIELD, "type",
                    present ? "type must be a string" : "type is required", id, node, null);
        }
        MessageType messageType = MessageType.fromWire(type).orElseThrow(() -> new MessageFormatException(
                ErrorCode.UNKNOWN_TYPE, "type", "unknown message type '" + truncate(type) + "'; known: "
                        + Arrays.stream(MessageType.values()).map(MessageType::wire).collect(Collectors.joining(", ")),
                id, node, type));
        String missing = WireTree.firstMissing(tree, messageType.requiredFields());
        if (missing != null) {
            throw new MessageFormatException(ErrorCode.MISSING_FIELD, missing, missing + " is required", id, node, type);
        }
        if (nodeText != null && node == null) {
            throw new MessageFormatException(ErrorCode.INVALID_NODE_ID, "node",
                    "node must match [A-Za-z0-9_-]{1,64}, not '" + truncate(nodeText) + "'", id, null, type);
        }
        ObjectNode prepared = WireTree.prepare((ObjectNode) tree, recordClass(messageType), messageType.requiredFields());
        try {
            return mapper.treeToValue(prepared, messageType.recordType());
        } catch (JsonMappingException e) {
            throw BindingErrors.translate(e, id, node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MessageFormatException(ErrorCode.INVALID_FIELD, null, firstLine(e.getMessage()), id, node, type);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> recordClass(MessageType t) {
        return (Class<? extends Record>) t.recordType();
    }

    /** JSON has one number type: 1 and 1.0 are the same number, as the schema's {@code const: 1} says. */
    private static boolean isVersion(JsonNode v) {
        return v.isIntegralNumber() ? v.canConvertToInt() && v.intValue() == VERSION : v.doubleValue() == VERSION;
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
