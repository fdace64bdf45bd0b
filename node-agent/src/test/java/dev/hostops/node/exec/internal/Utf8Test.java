package dev.hostops.node.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void complete_text_is_cut_at_its_end() {
        byte[] b = utf8("ab€😀");
        assertThat(Utf8.safeCut(b, b.length)).isEqualTo(b.length);
    }

    @Test
    void an_incomplete_last_character_is_held_back() {
        byte[] euro = utf8("a€"); // 61 E2 82 AC
        assertThat(Utf8.safeCut(euro, 2)).isEqualTo(1);
        assertThat(Utf8.safeCut(euro, 3)).isEqualTo(1);
        byte[] emoji = utf8("a😀"); // 61 F0 9F 98 80
        assertThat(Utf8.safeCut(emoji, 2)).isEqualTo(1);
        assertThat(Utf8.safeCut(emoji, 3)).isEqualTo(1);
        assertThat(Utf8.safeCut(emoji, 4)).isEqualTo(1);
        assertThat(Utf8.safeCut(emoji, 5)).isEqualTo(5);
        byte[] twoByte = utf8("aé"); // 61 C3 A9
        assertThat(Utf8.safeCut(twoByte, 2)).isEqualTo(1);
    }

    @Test
    void bytes_that_can_never_be_valid_are_not_held_back() {
        byte[] strayContinuations = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        assertThat(Utf8.safeCut(strayContinuations, 5)).isEqualTo(5);
        byte[] invalidLead = {'a', (byte) 0xFF};
        assertThat(Utf8.safeCut(invalidLead, 2)).isEqualTo(2);
        byte[] onlyLead = {(byte) 0xE2};
        assertThat(Utf8.safeCut(onlyLead, 1)).isZero();
    }
}
