package dev.hostops.contracts.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hostops.contracts.message.Signature;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Base64;

/**
 * The hostops signature scheme on JSON messages (docs/SIGNING.md):
 *
 * <pre>
 * input     = RFC 8785 canonical form of the message object without its "signature" member
 * signature = {"alg": "ed25519", "keyId": keyId(public key), "value": base64(Ed25519(private key, input))}
 * </pre>
 *
 * Everything else in the message is covered: {@code v}, {@code type}, {@code id}, {@code node} and
 * every other member, also ones this version does not know.
 */
public final class MessageSignatures {
    /** The only {@code signature.alg}. */
    public static final String ALG = "ed25519";
    /** The member that carries the signature and is left out of the signed input. */
    public static final String FIELD = "signature";

    private MessageSignatures() {}

    /** The bytes that are signed: the canonical form of {@code message} without {@value #FIELD}. */
    public static byte[] signingInput(JsonNode message) {
        if (!message.isObject()) {
            throw new IllegalArgumentException("a message is a JSON object, not " + message.getNodeType());
        }
        ObjectNode copy = ((ObjectNode) message).deepCopy();
        copy.remove(FIELD);
        return JsonCanonicalizer.canonicalize(copy);
    }

    /** The signature of {@code message} (its {@value #FIELD} member, if any, is ignored). */
    public static Signature sign(JsonNode message, SigningKey key) {
        byte[] value = key.sign(signingInput(message));
        return new Signature(ALG, key.keyId(), Base64.getEncoder().encodeToString(value));
    }

    /** Sets {@value #FIELD} on {@code message} (replacing one it had) and returns it. */
    public static ObjectNode signInPlace(ObjectNode message, SigningKey key) {
        Signature s = sign(message, key);
        ObjectNode sig = message.objectNode();
        sig.put("alg", s.alg());
        sig.put("keyId", s.keyId());
        sig.put("value", s.value());
        message.set(FIELD, sig);
        return message;
    }

    /**
     * True when {@code signature} is a valid Ed25519 signature by {@code key} over
     * {@link #signingInput(JsonNode) message's input}; false for any malformed value.
     */
    public static boolean verify(JsonNode message, Signature signature, PublicKey key) {
        if (!ALG.equals(signature.alg())) {
            return false;
        }
        byte[] value;
        try {
            value = Base64.getDecoder().decode(signature.value());
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            java.security.Signature v = java.security.Signature.getInstance(Ed25519Keys.ALGORITHM);
            v.initVerify(key);
            v.update(signingInput(message));
            return v.verify(value);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // A signature of the wrong length or encoding is just a wrong signature.
            return false;
        }
    }
}
