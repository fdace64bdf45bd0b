package dev.hostops.node.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.message.LogChunk;
import dev.hostops.node.exec.ChunkCollector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandOutputTest {
    private static final LogChunk.Stream OUT = LogChunk.Stream.STDOUT;
    private static final LogChunk.Stream ERR = LogChunk.Stream.STDERR;

    private final ChunkCollector sink = new ChunkCollector();

    private CommandOutput output(int chunkBytes) {
        return new CommandOutput("cmd-1", "node-1", chunkBytes, 64, sink);
    }

    private static void append(CommandOutput o, LogChunk.Stream s, byte[] b) {
        o.append(s, b, b.length);
    }

    /** The pending buffer starts small and grows; pieces of every size still come out whole, in order, in full chunks. */
    @Test
    void pieces_of_every_size_arrive_whole_as_the_buffer_grows() {
        int chunkBytes = 64 * 1024;
        CommandOutput o = output(chunkBytes);
        java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int size : new int[] {1, 0, 7, 1000, 1023, 1025, 5000, 65_535, 65_536, 65_537, 200_000, 3, 131_072}) {
            byte[] piece = new byte[size];
            for (int i = 0; i < size; i++) {
                piece[i] = (byte) ('a' + random.nextInt(26));
            }
            written.writeBytes(piece);
            o.append(OUT, piece, size);
            if (size == 3) {
                o.flushPending();
            }
        }
        o.endOfStream(OUT);
        o.endOfStream(ERR);

        assertThat(sink.text(OUT)).isEqualTo(written.toString(StandardCharsets.US_ASCII));
        assertThat(sink.chunks()).allSatisfy(c -> assertThat(c.data().length()).isLessThanOrEqualTo(chunkBytes));
        assertThat(o.summary(OUT).bytes()).isEqualTo(written.size());
        assertThat(o.summary(ERR).tail()).isEmpty();
    }

    @Test
    void full_chunks_are_sent_at_once_and_the_rest_waits_for_a_flush() {
        CommandOutput o = output(16);
        append(o, OUT, "0123456789abcdefXYZ".getBytes(StandardCharsets.US_ASCII));
        assertThat(sink.chunks()).extracting(LogChunk::data).containsExactly("0123456789abcdef");
        assertThat(o.hasPending()).isTrue();
        o.flushPending();
        assertThat(sink.chunks()).extracting(LogChunk::data).containsExactly("0123456789abcdef", "XYZ");
        assertThat(o.hasPending()).isFalse();
    }

    @Test
    void a_multibyte_character_on_a_chunk_boundary_moves_whole_to_the_next_chunk() {
        CommandOutput o = output(16);
        String text = "aaaaaaaaaaaaaaa€bbbbbbbbbbbbb😀cc"; // € starts at byte 15 of 16
        append(o, OUT, text.getBytes(StandardCharsets.UTF_8));
        o.endOfStream(OUT);
        o.endOfStream(ERR);
        List<LogChunk> chunks = sink.chunks();
        assertThat(chunks).allSatisfy(c -> assertThat(c.encoding()).isNull());
        assertThat(chunks.get(0).data()).isEqualTo("aaaaaaaaaaaaaaa");
        assertThat(sink.text(OUT)).isEqualTo(text);
    }

    @Test
    void a_time_flush_keeps_an_incomplete_character_until_its_rest_arrives() {
        CommandOutput o = output(64);
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        o.append(OUT, new byte[] {'x', euro[0]}, 2);
        o.flushPending();
        o.append(OUT, new byte[] {euro[1], euro[2], 'y'}, 3);
        o.flushPending();
        assertThat(sink.chunks()).extracting(LogChunk::data).containsExactly("x", "€y");
        assertThat(sink.chunks()).allSatisfy(c -> assertThat(c.encoding()).isNull());
    }

    @Test
    void invalid_utf8_is_sent_as_base64_and_reassembles_exactly() {
        CommandOutput o = output(16);
        byte[] bytes = {'o', 'k', (byte) 0xFF, (byte) 0xFE, 0, (byte) 0xC3}; // ends with a lone lead byte
        append(o, ERR, bytes);
        o.endOfStream(ERR);
        o.endOfStream(OUT);
        LogChunk first = sink.chunks().get(0);
        assertThat(first.encoding()).isEqualTo(LogChunk.BASE64);
        assertThat(first.eof()).isTrue();
        assertThat(sink.bytes(ERR)).isEqualTo(bytes);
    }

    @Test
    void both_streams_share_one_sequence_and_each_ends_with_one_eof_chunk() {
        CommandOutput o = output(16);
        append(o, OUT, "out".getBytes(StandardCharsets.UTF_8));
        append(o, ERR, "err".getBytes(StandardCharsets.UTF_8));
        o.flushPending();
        o.endOfStream(ERR);
        append(o, OUT, "more".getBytes(StandardCharsets.UTF_8));
        o.endOfStream(OUT);
        assertThat(sink.chunks()).extracting(LogChunk::seq).containsExactly(0L, 1L, 2L, 3L);
        assertThat(sink.chunks()).extracting(LogChunk::stream, LogChunk::data, LogChunk::eof).containsExactly(
                org.assertj.core.groups.Tuple.tuple(OUT, "out", false),
                org.assertj.core.groups.Tuple.tuple(ERR, "err", false),
                org.assertj.core.groups.Tuple.tuple(ERR, "", true),
                org.assertj.core.groups.Tuple.tuple(OUT, "more", true));
        assertThat(o.chunksSent()).isEqualTo(4);
    }

    @Test
    void a_failing_sink_does_not_stop_later_chunks_or_reuse_their_numbers() {
        List<Long> seen = new ArrayList<>();
        CommandOutput o = new CommandOutput("cmd-1", "node-1", 16, 64, chunk -> {
            seen.add(chunk.seq());
            throw new IllegalStateException("sink is broken");
        });
        byte[] data = new byte[40];
        Arrays.fill(data, (byte) 'z');
        append(o, OUT, data);
        o.endOfStream(OUT);
        o.endOfStream(ERR);
        assertThat(seen).containsExactly(0L, 1L, 2L);   // 16 + 16 + the last 8 with eof; silent stderr sends nothing
        assertThat(o.chunksSent()).isEqualTo(3);
    }

    @Test
    void a_stream_that_produced_nothing_sends_no_chunk() {
        CommandOutput o = output(16);
        o.endOfStream(OUT);
        o.endOfStream(ERR);
        assertThat(sink.chunks()).isEmpty();
        assertThat(o.chunksSent()).isZero();
    }

    @Test
    void after_detach_nothing_more_is_sent_but_the_streams_are_ended() {
        CommandOutput o = output(16);
        append(o, OUT, "early".getBytes(StandardCharsets.UTF_8));
        o.detach();
        append(o, OUT, "late".getBytes(StandardCharsets.UTF_8));
        o.endOfStream(OUT);
        assertThat(sink.chunks()).extracting(LogChunk::data, LogChunk::eof).containsExactly(
                org.assertj.core.groups.Tuple.tuple("early", true));   // stderr was silent: no chunk
        assertThat(o.droppedBytes()).isEqualTo(4);
    }
}
