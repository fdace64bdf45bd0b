package dev.hostops.node.exec.internal;

/** UTF-8 boundaries: where a byte run may be cut without splitting a character. */
final class Utf8 {
    private Utf8() {}

    /**
     * The length of the longest prefix of {@code buf[0, len)} that does not end inside a UTF-8
     * character: when the last bytes are the beginning of a multi-byte character whose other
     * bytes have not arrived yet, they are left out (1 to 3 bytes) so that they can travel with
     * the rest of the character in the next chunk. Bytes that cannot become valid UTF-8 are not
     * held back: they will be sent as base64 anyway.
     */
    static int safeCut(byte[] buf, int len) {
        // Look back over at most 3 continuation bytes for the lead byte of the last character.
        int lead = len - 1;
        int floor = Math.max(0, len - 4);
        while (lead >= floor && isContinuation(buf[lead])) {
            lead--;
        }
        if (lead < floor) {
            return len; // only continuation bytes: not a prefix of anything valid
        }
        int need = sequenceLength(buf[lead]);
        return lead + need > len ? lead : len;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** The length a character starting with this byte has; 1 for ASCII and for invalid leads. */
    private static int sequenceLength(byte b) {
        int v = b & 0xFF;
        if (v >= 0xC2 && v <= 0xDF) {
            return 2;
        }
        if (v >= 0xE0 && v <= 0xEF) {
            return 3;
        }
        if (v >= 0xF0 && v <= 0xF4) {
            return 4;
        }
        return 1;
    }
}
