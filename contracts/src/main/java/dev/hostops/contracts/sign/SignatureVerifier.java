package dev.hostops.contracts.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.ContractViolation;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.message.Signature;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks the signature of a message as it arrived (the raw JSON, not a re-encoding of the decoded
 * record, so members this version does not know are covered too). Thread-safe.
 *
 * <ul>
 *   <li>no {@code signature}, a malformed one, another {@code alg}, or a value that does not verify
 *       with the named key: {@link ErrorCode#BAD_SIGNATURE};</li>
 *   <li>a {@code keyId} the lookup does not know: {@link ErrorCode#UNTRUSTED_KEY}.</li>
 * </ul>
 */
public final class SignatureVerifier {
    private final Function<String, Optional<PublicKey>> keys;
    private final ObjectMapper mapper;

    /**
     * @param keys   the trusted public keys by key id
     * @param mapper parses the payload; it must refuse duplicate keys (the codec's mapper does), or a
     *               message could mean one thing to the verifier and another to the decoder
     */
    public SignatureVerifier(Function<String, Optional<PublicKey>> keys, ObjectMapper mapper) {
        this.keys = Objects.requireNonNull(keys, "keys must not be null");
        this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
    }

    public VerifyOutcome verify(byte[] payload) {
        JsonNode message;
        try {
            message = mapper.readTree(payload);
        } catch (IOException e) {
            return VerifyOutcome.refused(ErrorCode.BAD_SIGNATURE, null, "The message is not JSON that can be verified.");
        }
        if (message == null || !message.isObject()) {
            return VerifyOutcome.refused(ErrorCode.BAD_SIGNATURE, null, "The message is not a JSON object.");
        }
        return verify(message);
    }

    public VerifyOutcome verify(JsonNode message) {
        JsonNode sig = message.get(MessageSignatures.FIELD);
        if (sig == null || sig.isNull()) {
            return VerifyOutcome.refused(ErrorCode.BAD_SIGNATURE, null,
                    "The message is not signed, and this node accepts only signed messages (requireSignature).");
        }
        Signature signature;
        try {
            signature = new Signature(text(sig, "alg"), text(sig, "keyId"), text(sig, "value"));
        } catch (ContractViolation e) {
            return VerifyOutcome.refused(ErrorCode.BAD_SIGNATURE, null,
                    "The signature is malformed: it needs the strings alg, keyId and value (" + e.getMessage() + ").");
        }
        if (!MessageSignatures.ALG.equals(signature.alg())) {
            return VerifyOutcome.refused(ErrorCode.BAD_SIGNATURE, signature.keyId(),
                    "The signature's alg is '" + signature.alg() + "'; only '" + MessageSignatures.ALG + "' is accepted.");
        }
        Optional<PublicKey> key = keys.apply(signature.keyId());
        if (key.isEmpty()) {
            return VerifyOutcome.refused(ErrorCode.UNTRUSTED_KEY, signature.keyId(),
                    "The message is signed with key " + signature.keyId() + ", which this node does not trust.");
        }
        if (!MessageSignatures.verify(message, signature, key.get())) {
            return VerifyOutcome.refused(ErrorCode.BAD_SIGNATURE, signature.keyId(),
                    "The signature does not match the message for key " + signature.keyId()
                            + ": the message was changed after signing, or signed with another key.");
        }
        return VerifyOutcome.valid(signature.keyId());
    }

    private static String text(JsonNode sig, String field) {
        JsonNode v = sig.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
