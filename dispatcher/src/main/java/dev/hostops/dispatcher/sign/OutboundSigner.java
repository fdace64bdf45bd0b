package dev.hostops.dispatcher.sign;

import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.sign.MessageSigner;
import dev.hostops.contracts.sign.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs what the dispatcher publishes to nodes (exec, cancel, approval decision) with the key of its
 * {@code signingKey} setting, so nodes with {@code requireSignature: true} accept them
 * (docs/SIGNING.md). Without a key it passes messages through unchanged. Thread-safe.
 */
public final class OutboundSigner {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundSigner.class);
    private static final OutboundSigner NONE = new OutboundSigner(null);

    private final MessageSigner signer;

    private OutboundSigner(MessageSigner signer) {
        this.signer = signer;
    }

    /** Publishes messages unsigned. */
    public static OutboundSigner none() {
        return NONE;
    }

    public static OutboundSigner with(SigningKey key, MessageCodec codec) {
        return new OutboundSigner(new MessageSigner(key, codec));
    }

    /**
     * Reads the private key file (PKCS#8 PEM); null means unsigned.
     *
     * @throws UncheckedIOException when the file cannot be read or holds no Ed25519 private key: a
     *         dispatcher told to sign must not start and publish unsigned messages instead
     */
    public static OutboundSigner load(Path keyFile, MessageCodec codec) {
        if (keyFile == null) {
            return none();
        }
        try {
            SigningKey key = SigningKey.load(keyFile);
            LOG.info("signing every exec, cancel and approval decision with key {} from {}", key.keyId(), keyFile);
            return with(key, codec);
        } catch (IOException e) {
            throw new UncheckedIOException("signingKey: cannot use " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** The key id messages are signed with; empty when unsigned. */
    public Optional<String> keyId() {
        return signer == null ? Optional.empty() : Optional.of(signer.key().keyId());
    }

    public Exec sign(Exec exec) {
        return signer == null ? exec : signer.sign(exec);
    }

    public Cancel sign(Cancel cancel) {
        return signer == null ? cancel : signer.sign(cancel);
    }

    public ApprovalDecision sign(ApprovalDecision decision) {
        return signer == null ? decision : signer.sign(decision);
    }
}
