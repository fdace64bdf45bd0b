package dev.hostops.node.trust;

import dev.hostops.contracts.ErrorInfo;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a message from the broker is not accepted by {@link MessageTrust}.
 *
 * @param id    the message's {@code id} when it could be read (then a REJECTED result can name it), else null
 * @param error BAD_SIGNATURE, UNTRUSTED_KEY or REPLAY, with a sentence
 */
public record Refusal(String id, ErrorInfo error) {
    public Refusal {
        Objects.requireNonNull(error, "error must not be null");
    }

    public Optional<String> commandId() {
        return Optional.ofNullable(id);
    }
}
