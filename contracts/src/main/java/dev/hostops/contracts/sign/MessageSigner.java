package dev.hostops.contracts.sign;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.Signature;
import java.util.Objects;

/**
 * Signs the messages a sender publishes to nodes. The signature is over the message as
 * {@link MessageCodec#toTree} writes it, so publishing {@code codec.encode(signed)} gives the
 * node exactly what was signed. Thread-safe.
 */
public final class MessageSigner {
    private final SigningKey key;
    private final MessageCodec codec;

    public MessageSigner(SigningKey key, MessageCodec codec) {
        this.key = Objects.requireNonNull(key, "key must not be null");
        this.codec = Objects.requireNonNull(codec, "codec must not be null");
    }

    public SigningKey key() {
        return key;
    }

    /** The signature of {@code message} as encoded by the codec (a signature it carries is left out). */
    public Signature signatureOf(Message message) {
        ObjectNode tree = codec.toTree(message);
        return MessageSignatures.sign(tree, key);
    }

    public Exec sign(Exec exec) {
        return exec.withSignature(signatureOf(exec));
    }

    public Cancel sign(Cancel cancel) {
        return new Cancel(cancel.id(), cancel.node(), cancel.reason(), cancel.requestedBy(), signatureOf(cancel));
    }

    public ApprovalDecision sign(ApprovalDecision d) {
        return new ApprovalDecision(d.id(), d.node(), d.decision(), d.approver(), d.reason(), signatureOf(d));
    }
}
