package dev.hostops.contracts.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.CommandLine;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.MessageType;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.schema.SampleMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How the codec refuses what it must refuse, and what it still tells the receiver when it does. */
class MessageCodecTest {
    private static final String EXEC = "{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"argv\":[\"git\"]";
    private final MessageCodec codec = MessageCodec.standard();

    @Test
    void decodesTheDesignExampleWithItsInstant() throws MessageFormatException {
        String json = "{\"v\":1,\"type\":\"exec\",\"id\":\"0193a6c2-...\",\"node\":\"HostOps-Win\","
                + "\"argv\":[\"git\",\"fetch\",\"--all\",\"--prune\"], \"workdir\":\"C:\\\\OpenClaw\","
                + "\"env\":{\"GIT_TERMINAL_PROMPT\":\"0\"}, \"timeoutMs\":600000,"
                + "\"expiresAt\":\"2026-11-21T23:00:00Z\", \"security\":\"allowlist\", \"ask\":\"on-miss\","
                + "\"requestedBy\":\"tier2\", \"replyTo\":null, \"labels\":{}}";
        Exec exec = codec.decode(bytes(json), Exec.class);
        assertThat(exec.expiresAt()).isEqualTo(Instant.parse("2026-11-21T23:00:00Z"));
        assertThat(exec.expiresAt().getEpochSecond()).isEqualTo(1_795_302_000L);
        assertThat(exec.workdir()).isEqualTo("C:\\OpenClaw");
        assertThat(exec.argv()).containsExactly("git", "fetch", "--all", "--prune");
        assertThat(exec.replyTo()).isNull();
        assertThat(exec.labels()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-21T23:00:00Z           | 2026-11-21T23:00:00Z",
        "2026-11-21T23:00:00.123456789Z | 2026-11-21T23:00:00.123456789Z",
        "2026-11-22T00:00:00+01:00      | 2026-11-21T23:00:00Z",
        "2026-11-21t23:00:00z           | 2026-11-21T23:00:00Z"})
    void instantsAreRfc3339AndNormalizedToUtc(String wire, String instant) throws MessageFormatException {
        Exec exec = codec.decode(bytes(EXEC + ",\"expiresAt\":\"" + wire + "\"}"), Exec.class);
        assertThat(exec.expiresAt()).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1795388400", "\"2026-11-21T23:00Z\"", "\"2026-11-21 23:00:00Z\"", "\"2026-11-21T23:00:00\"",
        "\"2026-02-30T23:00:00Z\"", "\"tomorrow\"", "\"\"", "[2026,11,21]"})
    void anythingElseIsNotAnInstant(String wire) {
        assertRejected(EXEC + ",\"expiresAt\":" + wire + "}", ErrorCode.INVALID_FIELD, "expiresAt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "0", "-1", "1.5", "99999999999999999999"})
    void unknownVersionIsUnsupported(String v) {
        assertRejected("{\"v\":" + v + ",\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}", ErrorCode.UNSUPPORTED_VERSION, "v");
    }

    @Test
    void versionMustBeANumberAndPresent() {
        assertRejected("{\"v\":\"1\",\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}", ErrorCode.INVALID_FIELD, "v");
        assertRejected("{\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}", ErrorCode.MISSING_FIELD, "v");
        assertRejected("{\"v\":null,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}", ErrorCode.MISSING_FIELD, "v");
    }

    @Test
    void oneAndOnePointZeroAreTheSameNumber() throws MessageFormatException {
        // JSON has one number type and the schema's const 1 accepts 1.0; so do we, for integers too.
        Message m = codec.decode(bytes("{\"v\":1.0,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"argv\":[\"git\"],\"timeoutMs\":6e5}"));
        assertThat(((Exec) m).timeoutMs()).isEqualTo(600_000L);
        assertRejected(EXEC + ",\"timeoutMs\":600000.5}", ErrorCode.INVALID_FIELD, "timeoutMs");
    }

    @Test
    void typeMustBeKnown() {
        MessageFormatException e = assertRejected("{\"v\":1,\"type\":\"shell\",\"id\":\"a1\",\"node\":\"n1\"}", ErrorCode.UNKNOWN_TYPE, "type");
        assertThat(e.type()).contains("shell");
        assertThat(e.getMessage()).contains("exec", "result");
        assertRejected("{\"v\":1,\"id\":\"a1\",\"node\":\"n1\"}", ErrorCode.MISSING_FIELD, "type");
        assertRejected("{\"v\":1,\"type\":7,\"id\":\"a1\",\"node\":\"n1\"}", ErrorCode.INVALID_FIELD, "type");
    }

    @Test
    void expectedTypeIsChecked() {
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class,
                () -> codec.decode(bytes("{\"v\":1,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}"), Exec.class));
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(e.id()).contains("a1");
    }

    /** Every required field of every type, removed from a real message, is named as missing. */
    @TestFactory
    Stream<DynamicTest> everyMissingRequiredFieldIsNamed() {
        return SampleMessages.minimal().stream().flatMap(m -> {
            MessageType t = MessageType.of(m.getClass());
            return t.requiredFields().stream().flatMap(field -> Stream.of(
                    DynamicTest.dynamicTest(t.wire() + " without " + field, () -> {
                        ObjectNode tree = codec.toTree(m);
                        tree.remove(field);
                        assertRejected(tree.toString(), ErrorCode.MISSING_FIELD, field);
                    }),
                    DynamicTest.dynamicTest(t.wire() + " with " + field + ": null", () -> {
                        ObjectNode tree = codec.toTree(m);
                        tree.putNull(field);
                        assertRejected(tree.toString(), ErrorCode.MISSING_FIELD, field);
                    })));
        });
    }

    @Test
    void missingIdStillReportsTheNodeAndMissingNodeStillReportsTheId() {
        MessageFormatException noId = assertRejected("{\"v\":1,\"type\":\"exec\",\"node\":\"n1\",\"argv\":[\"git\"]}", ErrorCode.MISSING_FIELD, "id");
        assertThat(noId.node()).contains("n1");
        assertThat(noId.id()).isEmpty();
        MessageFormatException noNode = assertRejected("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"argv\":[\"git\"]}", ErrorCode.MISSING_FIELD, "node");
        assertThat(noNode.id()).contains("a1");
        assertThat(noNode.node()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"timeoutMs\":\"5\"       | timeoutMs",   // a string for a number
        "\"workdir\":5             | workdir",     // a number for a string
        "\"workdir\":true          | workdir",
        "\"requestedBy\":[\"x\"]   | requestedBy", // an array for a string
        "\"env\":[\"A=1\"]         | env",         // an array for an object
        "\"env\":{\"A\":1}         | env.A",       // a number inside a string map
        "\"labels\":\"x\"          | labels",
        "\"security\":1            | security",    // a number for an enum
        "\"signature\":\"abc\"     | signature"})  // a string for an object
    void wrongTypesNameTheFieldAndAreNotCoerced(String member, String field) {
        MessageFormatException e = assertRejected(EXEC + "," + member + "}", ErrorCode.INVALID_FIELD, field);
        assertThat(e.id()).contains("a1");
        assertThat(e.node()).contains("n1");
        assertThat(e.getMessage()).doesNotContain("java.", "com.fasterxml");
    }

    @Test
    void aStringIsNotArgv() {
        assertRejected("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"argv\":\"git fetch\"}", ErrorCode.INVALID_FIELD, "argv");
        assertRejected("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"argv\":[\"git\",[\"x\"]]}", ErrorCode.INVALID_FIELD, "argv[1]");
    }

    @Test
    void numbersAndBooleansAreNotCoercedEither() {
        String log = "{\"v\":1,\"type\":\"log\",\"id\":\"a1\",\"node\":\"n1\",\"stream\":\"stdout\",\"data\":\"x\",";
        assertRejected(log + "\"seq\":\"0\"}", ErrorCode.INVALID_FIELD, "seq");
        assertRejected(log + "\"seq\":true}", ErrorCode.INVALID_FIELD, "seq");
        assertRejected(log + "\"seq\":0,\"eof\":\"true\"}", ErrorCode.INVALID_FIELD, "eof");
        assertRejected(log + "\"seq\":0,\"eof\":1}", ErrorCode.INVALID_FIELD, "eof");
        assertRejected(log.replace("\"data\":\"x\"", "\"data\":5") + "\"seq\":0}", ErrorCode.INVALID_FIELD, "data");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a.b", "+", "#", "a b", "ä", "n\\u0000", "node:1",
        "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void nodeIdsOutsideThePatternAreRejected(String node) {
        MessageFormatException e = assertRejected(
                "{\"v\":1,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"" + node + "\"}", ErrorCode.INVALID_NODE_ID, "node");
        assertThat(e.node()).isEmpty();
        assertThat(e.id()).contains("a1");
    }

    @Test
    void sizeIsCheckedBeforeParsing() {
        MessageCodec small = new MessageCodec(64);
        // Not JSON at all: had it been parsed first, this would be MALFORMED_MESSAGE.
        byte[] garbage = new byte[65];
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class, () -> small.decode(garbage));
        assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
        assertThat(e.getMessage()).contains("65", "64");

        byte[] exactly = "{\"v\":1,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}".getBytes(StandardCharsets.UTF_8);
        MessageCodec tight = new MessageCodec(exactly.length);
        assertThat(catchThrowableOfType(MessageFormatException.class, () -> tight.decode(exactly))).isNull();
        assertThatThrownBy(() -> new MessageCodec(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLogChunkNearTheLimitDecodesAndOneOverDoesNot() throws MessageFormatException {
        String head = "{\"v\":1,\"type\":\"log\",\"id\":\"a1\",\"node\":\"n1\",\"seq\":0,\"stream\":\"stdout\",\"data\":\"";
        String tail = "\"}";
        int room = MessageCodec.DEFAULT_MAX_BYTES - head.length() - tail.length();
        String fits = head + "x".repeat(room) + tail;
        assertThat(codec.decode(bytes(fits))).isInstanceOf(dev.hostops.contracts.message.LogChunk.class);
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class,
                () -> codec.decode(bytes(head + "x".repeat(room + 1) + tail)));
        assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
    }

    @Test
    void unknownFieldsAreToleratedAtEveryLevel() throws MessageFormatException {
        String json = "{\"v\":1,\"type\":\"result\",\"id\":\"a1\",\"node\":\"n1\",\"status\":\"FAILED\",\"host\":\"node\","
                + "\"future\":{\"deep\":[1,{\"x\":null}]},"
                + "\"policy\":{\"decision\":\"allow\",\"rule\":\"git\",\"score\":0.5},"
                + "\"error\":{\"code\":\"NEW_CODE_FROM_V1_1\",\"message\":\"m\",\"hint\":\"h\"}}";
        Result r = codec.decode(bytes(json), Result.class);
        assertThat(r.error().code()).isEqualTo("NEW_CODE_FROM_V1_1");
        assertThat(r.policy().rule()).isEqualTo("git");
    }

    @ParameterizedTest
    @ValueSource(strings = {" x", "{}", " []", " 1", ",", "}"})
    void trailingDataIsRejected(String trailing) {
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class,
                () -> codec.decode(bytes("{\"v\":1,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}" + trailing)));
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
    }

    @Test
    void trailingWhitespaceIsFine() throws MessageFormatException {
        assertThat(codec.decode(bytes("{\"v\":1,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\"}\r\n\t "))).isInstanceOf(Cancel.class);
    }

    @Test
    void deepNestingIsRejectedWhileParsing() throws MessageFormatException {
        int limit = MessageCodec.MAX_NESTING_DEPTH;
        // The message object itself is one level: an extra field nested to the limit is fine ...
        assertThat(codec.decode(bytes(EXEC + ",\"x\":" + "[".repeat(limit - 1) + "]".repeat(limit - 1) + "}"))).isInstanceOf(Exec.class);
        // ... one level more is not, whatever the field.
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class,
                () -> codec.decode(bytes(EXEC + ",\"x\":" + "[".repeat(limit) + "]".repeat(limit) + "}")));
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(e.getMessage()).contains("nesting");
    }

    @Test
    void duplicateKeysAreRejected() {
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class,
                () -> codec.decode(bytes("{\"v\":1,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\",\"node\":\"n2\"}")));
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(e.getMessage()).contains("node");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "[]", "[{\"v\":1}]", "\"exec\"", "42", "{", "{\"v\":1,}", "{'v':1}"})
    void notAJsonObjectIsMalformed(String text) {
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class, () -> codec.decode(bytes(text)));
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
        assertThat(e.id()).isEmpty();
    }

    @Test
    void invalidUtf8IsMalformed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes("{\"v\":1,\"type\":\"cancel\",\"id\":\"a1\",\"node\":\"n1\",\"reason\":\""));
        out.write(0xff);
        out.writeBytes(bytes("\"}"));
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class, () -> codec.decode(out.toByteArray()));
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_MESSAGE);
    }

    @Test
    void emptyArgvAndEmptyProgram() {
        assertRejected("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"argv\":[]}", ErrorCode.EMPTY_ARGV, "argv");
        assertRejected("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"argv\":[\"\"]}", ErrorCode.EMPTY_ARGV, "argv");
    }

    @Test
    void commandStringIsSplitOnlyWhenAsked() throws MessageFormatException {
        Exec ok = codec.decode(bytes("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"command\":\"git fetch --all --prune\"}"), Exec.class);
        assertThat(ok.argv()).isNull();
        assertThat(ok.effectiveArgv()).containsExactly("git", "fetch", "--all", "--prune");

        // Shell syntax decodes (the node answers REJECTED with the id) but cannot be split.
        Exec shell = codec.decode(bytes("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"command\":\"git fetch && rm -rf /\"}"), Exec.class);
        assertThatThrownBy(shell::effectiveArgv).isInstanceOfSatisfying(CommandLine.ShellSyntaxException.class,
                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.SHELL_SYNTAX));

        Exec empty = codec.decode(bytes("{\"v\":1,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"command\":\"''\"}"), Exec.class);
        assertThatThrownBy(empty::effectiveArgv).isInstanceOfSatisfying(dev.hostops.contracts.ContractViolation.class,
                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.EMPTY_ARGV));
    }

    @Test
    void idAndNodeAreRecoveredOnlyWhenValidSoAReceiverCanAnswerRejected() throws MessageFormatException {
        MessageFormatException e = assertRejected(EXEC + ",\"timeoutMs\":-5}", ErrorCode.INVALID_FIELD, "timeoutMs");
        assertThat(e.id()).contains("a1");
        assertThat(e.node()).contains("n1");
        assertThat(e.type()).contains("exec");
        // The receiver can build its REJECTED result from what the exception carries.
        Result rejected = Result.notRun(e.id().orElseThrow(), e.node().orElseThrow(),
                dev.hostops.contracts.CommandStatus.REJECTED, e.toErrorInfo(), null);
        assertThat(codec.decode(codec.encode(rejected))).isEqualTo(rejected);
        assertThat(e.toErrorInfo().code()).isEqualTo("INVALID_FIELD");

        MessageFormatException badId = assertRejected(
                "{\"v\":1,\"type\":\"exec\",\"id\":\"has space\",\"node\":\"n1\",\"argv\":[\"git\"]}", ErrorCode.INVALID_FIELD, "id");
        assertThat(badId.id()).isEmpty();
        assertThat(badId.node()).contains("n1");

        MessageFormatException longId = assertRejected(
                "{\"v\":1,\"type\":\"cancel\",\"id\":\"" + "x".repeat(129) + "\",\"node\":\"n1\"}", ErrorCode.INVALID_FIELD, "id");
        assertThat(longId.id()).isEmpty();

        MessageFormatException version = assertRejected(
                "{\"v\":2,\"type\":\"exec\",\"id\":\"a1\",\"node\":\"n1\",\"argv\":[\"git\"]}", ErrorCode.UNSUPPORTED_VERSION, "v");
        assertThat(version.id()).contains("a1");
        assertThat(version.node()).contains("n1");
    }

    @Test
    void nestedFieldsAreNamedWithTheirPath() {
        String base = "{\"v\":1,\"type\":\"result\",\"id\":\"a1\",\"node\":\"n1\",\"status\":\"REJECTED\",";
        assertRejected(base + "\"error\":{\"message\":\"m\"}}", ErrorCode.MISSING_FIELD, "error.code");
        assertRejected(base + "\"error\":{\"code\":\"X\"}}", ErrorCode.MISSING_FIELD, "error.message");
        assertRejected(base + "\"error\":{\"code\":5,\"message\":\"m\"}}", ErrorCode.INVALID_FIELD, "error.code");
        assertRejected(base + "\"policy\":{}}", ErrorCode.MISSING_FIELD, "policy.decision");
    }

    @Test
    void decodeTreeLeavesTheCallersTreeAlone() throws Exception {
        JsonNode tree = codec.mapper().readTree("{\"v\":1.0,\"type\":\"result\",\"id\":\"a1\",\"node\":\"n1\",\"status\":\"FAILED\",\"exitCode\":2.0}");
        String before = tree.toString();
        Result r = (Result) codec.decodeTree(tree);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.logChunks()).isZero();
        assertThat(tree.toString()).isEqualTo(before);
    }

    @Test
    void nullOptionalFieldsMeanAbsent() throws MessageFormatException {
        Result r = codec.decode(bytes("{\"v\":1,\"type\":\"result\",\"id\":\"a1\",\"node\":\"n1\",\"status\":\"LOST\","
                + "\"exitCode\":null,\"stdoutBytes\":null,\"truncated\":null,\"error\":null,\"policy\":null}"), Result.class);
        assertThat(r).isEqualTo(new Result("a1", "n1", dev.hostops.contracts.CommandStatus.LOST,
                null, null, null, null, null, null, null, null, 0, 0, 0, false, null));
    }

    @Test
    void everySampleRoundTrips() throws MessageFormatException {
        for (Message m : List.copyOf(SampleMessages.full())) {
            assertThat(codec.decode(codec.encode(m))).as(m.toString()).isEqualTo(m);
        }
    }

    private MessageFormatException assertRejected(String json, ErrorCode code, String field) {
        MessageFormatException e = catchThrowableOfType(MessageFormatException.class, () -> codec.decode(bytes(json)));
        assertThat(e).as("expected " + code + " for " + json).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.field()).as(e.getMessage()).contains(field);
        assertThat(e.getMessage()).isNotBlank();
        return e;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
