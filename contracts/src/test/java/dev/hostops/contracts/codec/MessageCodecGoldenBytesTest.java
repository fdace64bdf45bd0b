package dev.hostops.contracts.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.PolicyDecision;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes the codec writes, one field per line with what it means, and that decoding those
 * bytes gives the same record back. A change here is a change of the public wire format.
 */
class MessageCodecGoldenBytesTest {
    private final MessageCodec codec = MessageCodec.standard();

    @Test
    void exec() throws MessageFormatException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_TERMINAL_PROMPT", "0");
        Exec exec = new Exec("0193a6c2-7b1e-7c3a-9a51-3f7c2d9e8b10", "HostOps-Win",
                List.of("git", "fetch", "--all", "--prune"), null, "C:\\OpenClaw", env, 600_000L,
                Instant.parse("2026-11-21T23:00:00Z"), SecurityMode.ALLOWLIST, AskMode.ON_MISS, "tier2", null, Map.of(), null);
        String expected = "{"
                + "\"v\":1,"                                              // contract version, always first
                + "\"type\":\"exec\","                                    // message type, always second
                + "\"id\":\"0193a6c2-7b1e-7c3a-9a51-3f7c2d9e8b10\","      // command id (dedupe key)
                + "\"node\":\"HostOps-Win\","                             // target node id
                + "\"argv\":[\"git\",\"fetch\",\"--all\",\"--prune\"],"  // program and arguments, no shell
                // command: absent (null is not written)
                + "\"workdir\":\"C:\\\\OpenClaw\","                       // working directory, backslash escaped by JSON
                + "\"env\":{\"GIT_TERMINAL_PROMPT\":\"0\"},"              // extra environment, sender's order kept
                + "\"timeoutMs\":600000,"                                 // execution limit
                + "\"expiresAt\":\"2026-11-21T23:00:00Z\","               // delivery deadline, RFC 3339 UTC
                + "\"security\":\"allowlist\","                           // lower-case wire name
                + "\"ask\":\"on-miss\","                                  // lower-case wire name with a dash
                + "\"requestedBy\":\"tier2\""                             // who asked
                // replyTo: null, not written; labels: empty, not written; signature: absent
                + "}";
        assertEncodesTo(exec, expected);
    }

    @Test
    void logChunkWritesSeqZeroAndEofFalse() throws MessageFormatException {
        LogChunk chunk = new LogChunk("c1", "n1", 0, LogChunk.Stream.STDOUT, "", null, false);
        String expected = "{"
                + "\"v\":1,"
                + "\"type\":\"log\","
                + "\"id\":\"c1\","
                + "\"node\":\"n1\","
                + "\"seq\":0,"                // the first chunk: 0 is written, never dropped as a default
                + "\"stream\":\"stdout\","    // stdout or stderr
                + "\"data\":\"\","            // empty data is still data (required)
                // encoding: absent means utf-8
                + "\"eof\":false"             // always written
                + "}";
        assertEncodesTo(chunk, expected);
    }

    @Test
    void logChunkOfNonUtf8BytesIsBase64() throws MessageFormatException {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 'A'};
        LogChunk chunk = LogChunk.of("c1", "n1", 3, LogChunk.Stream.STDERR, bytes, true);
        String expected = "{"
                + "\"v\":1,"
                + "\"type\":\"log\","
                + "\"id\":\"c1\","
                + "\"node\":\"n1\","
                + "\"seq\":3,"
                + "\"stream\":\"stderr\","
                + "\"data\":\"//5B\","          // base64 of FF FE 41
                + "\"encoding\":\"base64\","    // because FF FE is not UTF-8
                + "\"eof\":true"                // last chunk of this stream
                + "}";
        assertEncodesTo(chunk, expected);
        assertThat(chunk.bytes()).containsExactly(bytes);
    }

    @Test
    void logChunkOfUtf8BytesIsText() {
        LogChunk chunk = LogChunk.of("c1", "n1", 0, LogChunk.Stream.STDOUT, "café ✓\n".getBytes(StandardCharsets.UTF_8), false);
        assertThat(chunk.encoding()).isNull();
        assertThat(chunk.data()).isEqualTo("café ✓\n");
        assertThat(new String(codec.encode(chunk), StandardCharsets.UTF_8)).contains("\"data\":\"café ✓\\n\"");
    }

    @Test
    void rejectedResultWritesItsCounters() throws MessageFormatException {
        Result result = new Result("c1", "n1", CommandStatus.REJECTED, null, null, Instant.parse("2026-11-21T22:59:00.5Z"), null, null,
                new PolicyDecision("deny", null), null, null, 0, 0, 0, false,
                ErrorCode.ALLOWLIST_MISS.withMessage("cmd.exe is not on this node's allowlist."));
        String expected = "{"
                + "\"v\":1,"
                + "\"type\":\"result\","
                + "\"id\":\"c1\","
                + "\"node\":\"n1\","
                + "\"status\":\"REJECTED\","                       // upper-case status names
                // exitCode, startedAt: it never ran
                + "\"finishedAt\":\"2026-11-21T22:59:00.500Z\","   // fraction written to the millisecond as needed
                // durationMs, resolvedExecutable: absent
                + "\"policy\":{\"decision\":\"deny\"},"            // rule: null, not written
                // stdoutTail, stderrTail: absent
                + "\"stdoutBytes\":0,"                             // counters always written
                + "\"stderrBytes\":0,"
                + "\"logChunks\":0,"                               // no log chunks: a reader need not wait for any
                + "\"truncated\":false,"
                + "\"error\":{\"code\":\"ALLOWLIST_MISS\",\"message\":\"cmd.exe is not on this node's allowlist.\"}"
                + "}";
        assertEncodesTo(result, expected);
    }

    @Test
    void offlinePresence() throws MessageFormatException {
        String expected = "{"
                + "\"v\":1,"
                + "\"type\":\"presence\","
                + "\"id\":\"sess-1\","       // the agent session, new at every start
                + "\"node\":\"n1\","
                + "\"state\":\"offline\""    // capabilities [] and labels {} are not written
                + "}";
        assertEncodesTo(Presence.offline("sess-1", "n1"), expected);
    }

    private void assertEncodesTo(Message message, String expected) throws MessageFormatException {
        assertThat(new String(codec.encode(message), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(codec.encodeToString(message)).isEqualTo(expected);
        assertThat(codec.decode(expected.getBytes(StandardCharsets.UTF_8))).isEqualTo(message);
    }
}
