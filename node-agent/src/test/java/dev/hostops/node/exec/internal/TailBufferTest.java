package dev.hostops.node.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TailBufferTest {

    private static void add(TailBuffer t, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        t.add(b, 0, b.length);
    }

    @Test
    void keeps_everything_while_it_fits() {
        TailBuffer t = new TailBuffer(8);
        add(t, "abc");
        add(t, "de");
        assertThat(t.text()).isEqualTo("abcde");
        assertThat(t.total()).isEqualTo(5);
        assertThat(t.truncated()).isFalse();
    }

    @Test
    void keeps_the_last_bytes_across_wraps_and_large_writes() {
        TailBuffer t = new TailBuffer(4);
        add(t, "abc");
        add(t, "def");
        assertThat(t.text()).isEqualTo("cdef");
        add(t, "0123456789");
        assertThat(t.text()).isEqualTo("6789");
        add(t, "x");
        assertThat(t.text()).isEqualTo("789x");
        assertThat(t.total()).isEqualTo(17);
        assertThat(t.truncated()).isTrue();
    }

    @Test
    void a_character_cut_by_the_tail_is_dropped_not_garbled() {
        TailBuffer t = new TailBuffer(4);
        add(t, "xx€ab"); // the tail's first bytes are the last two of €
        assertThat(t.text()).isEqualTo("ab");
    }

    @Test
    void a_zero_size_tail_only_counts() {
        TailBuffer t = new TailBuffer(0);
        add(t, "abc");
        assertThat(t.text()).isEmpty();
        assertThat(t.total()).isEqualTo(3);
        assertThat(t.truncated()).isTrue();
    }
}
