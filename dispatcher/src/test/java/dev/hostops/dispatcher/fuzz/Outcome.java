package dev.hostops.dispatcher.fuzz;

import java.nio.charset.StandardCharsets;

/**
 * What the dispatcher answered: status, content type, body (empty for a stream, which is closed
 * once its headers arrived, and for HEAD).
 */
record Outcome(int status, String contentType, byte[] body, boolean stream) {
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
