package dev.hostops.node.exec.internal;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the last N bytes of a stream, in constant memory, and counts all of them. The ring is
 * allocated with the first byte: a silent stream (most of them) costs nothing.
 */
final class TailBuffer {
    private final int capacity;
    private byte[] ring;
    private int next;
    private long total;

    TailBuffer(int capacity) {
        this.capacity = capacity;
    }

    void add(byte[] b, int off, int len) {
        total += len;
        int cap = capacity;
        if (cap == 0 || len == 0) {
            return;
        }
        if (ring == null) {
            ring = new byte[cap];
        }
        if (len >= cap) {
            System.arraycopy(b, off + len - cap, ring, 0, cap);
            next = 0;
            return;
        }
        int first = Math.min(len, cap - next);
        System.arraycopy(b, off, ring, next, first);
        System.arraycopy(b, off + first, ring, 0, len - first);
        next = (next + len) % cap;
    }

    long total() {
        return total;
    }

    boolean truncated() {
        return total > capacity;
    }

    /**
     * The tail as text for a person: invalid bytes become U+FFFD. When the tail was cut, a
     * character split by the cut is dropped from the front rather than shown as garbage.
     */
    String text() {
        if (ring == null) {
            return "";
        }
        int size = (int) Math.min(total, capacity);
        byte[] out = new byte[size];
        int start = truncated() ? next : 0;
        int first = Math.min(size, capacity - start);
        System.arraycopy(ring, start, out, 0, first);
        System.arraycopy(ring, 0, out, first, size - first);
        int skip = 0;
        if (truncated()) {
            while (skip < Math.min(3, size) && (out[skip] & 0xC0) == 0x80) {
                skip++;
            }
        }
        return new String(out, skip, size - skip, StandardCharsets.UTF_8);
    }
}
