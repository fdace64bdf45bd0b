package dev.hostops.node.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.message.MessageType;
import dev.hostops.contracts.sign.MessageSignatures;
import dev.hostops.contracts.sign.SignatureVerifier;
import dev.hostops.contracts.sign.VerifyOutcome;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.TrustedKey;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's trust boundary (docs/SIGNING.md): with {@code requireSignature: true} in the policy, a
 * message from the broker is accepted only when it is signed by a key in {@code trustedKeys} that may
 * send it (exec and cancel: {@code canSubmit}; approval decisions: {@code canApprove}), checked on
 * the raw JSON before anything else reads it. Without {@code requireSignature} everything passes, as
 * before.
 *
 * <ul>
 *   <li>unsigned, malformed signature, changed after signing, signed with another key than the one
 *       named: {@code BAD_SIGNATURE};</li>
 *   <li>a key the node does not know, or one that may not send this kind of message: {@code UNTRUSTED_KEY};</li>
 *   <li>an exec whose id the node already holds with different signed content: {@code REPLAY}. The same
 *       content again is a redelivery: it passes, and the dedupe store answers it with the stored result
 *       without running it again.</li>
 *   <li>a signed exec without {@code expiresAt}, or with one more than {@link #MAX_EXPIRES_AHEAD} ahead:
 *       {@code INVALID_FIELD}. The dedupe store forgets ids after its retention (30 days by default);
 *       a bounded deadline keeps a captured command from running again once its id is forgotten.</li>
 * </ul>
 *
 * A refused message never claims its id in the store, so nobody can use unsigned messages to burn
 * the ids of commands still to come, or overwrite a stored record. Thread-safe.
 */
public final class MessageTrust {
    private static final Logger LOG = LoggerFactory.getLogger(MessageTrust.class);
    /** How far ahead a signed exec's expiresAt may be: well inside the default dedupe retention of 30 days. */
    public static final Duration MAX_EXPIRES_AHEAD = Duration.ofDays(7);

    private final boolean required;
    private final Map<String, TrustedKey> keys = new LinkedHashMap<>();
    private final SignatureVerifier verifier;
    private final StoredCommands stored;
    private final ObjectMapper mapper;

    /**
     * @param mapper parses payloads; must refuse duplicate keys (use the codec's mapper)
     */
    public MessageTrust(Policy policy, StoredCommands stored, ObjectMapper mapper) {
        this(policy.requireSignature(), policy.trustedKeys(), stored, mapper);
    }

    public MessageTrust(boolean required, List<TrustedKey> trusted, StoredCommands stored, ObjectMapper mapper) {
        this.required = required;
        for (TrustedKey k : trusted) {
            keys.put(k.keyId(), k);
        }
        this.stored = stored;
        this.mapper = mapper;
        this.verifier = new SignatureVerifier(id -> Optional.ofNullable(keys.get(id)).map(TrustedKey::key), mapper);
        if (required && keys.isEmpty()) {
            LOG.warn("requireSignature is on but trustedKeys is empty: every command and control message will be refused");
        }
    }

    public boolean required() {
        return required;
    }

    /**
     * Checks a message from the cmd topic. Empty: go on (decode, dedupe claim, policy). Otherwise
     * the command must not run and its id must not be claimed.
     *
     * @throws Exception when the store cannot be read (the message is then not acknowledged)
     */
    public Optional<Refusal> checkCommand(byte[] payload) throws Exception {
        if (!required) {
            return Optional.empty();
        }
        JsonNode message = parse(payload);
        String id = message == null ? null : text(message, "id");
        Optional<Refusal> refused = checkSigner(message, id, true);
        if (refused.isPresent() || id == null) {
            return refused;
        }
        Optional<Refusal> deadline = checkDeadline(message, id);
        if (deadline.isPresent()) {
            return deadline;
        }
        Optional<byte[]> before = stored.execJson(id);
        if (before.isPresent() && !sameSignedContent(before.get(), message)) {
            return Optional.of(new Refusal(id, ErrorCode.REPLAY.withMessage("Command id " + id
                    + " was already used on this node for a different command; this one is refused and never runs.")));
        }
        return Optional.empty();
    }

    /** Checks a message from the control topic: a cancel needs a submit key, an approval decision an approve key. */
    public Optional<Refusal> checkControl(byte[] payload) {
        if (!required) {
            return Optional.empty();
        }
        JsonNode message = parse(payload);
        String id = message == null ? null : text(message, "id");
        boolean decision = message != null && MessageType.APPROVAL_DECISION.wire().equals(text(message, "type"));
        return checkSigner(message, id, !decision);
    }

    private Optional<Refusal> checkSigner(JsonNode message, String id, boolean submit) {
        if (message == null) {
            return Optional.of(new Refusal(null, ErrorCode.BAD_SIGNATURE.withMessage("The message is not a JSON object; it cannot be verified.")));
        }
        VerifyOutcome outcome = verifier.verify(message);
        if (!outcome.isValid()) {
            return Optional.of(new Refusal(id, outcome.error().withMessage(outcome.message())));
        }
        TrustedKey key = keys.get(outcome.keyId());
        if (submit ? !key.canSubmit() : !key.canApprove()) {
            return Optional.of(new Refusal(id, ErrorCode.UNTRUSTED_KEY.withMessage("Key " + key.keyId() + " (" + key.name()
                    + ") may not " + (submit ? "submit or cancel commands (canSubmit: false)" : "answer approvals (canApprove: false)")
                    + " on this node.")));
        }
        return Optional.empty();
    }

    private static Optional<Refusal> checkDeadline(JsonNode message, String id) {
        String expiresAt = text(message, "expiresAt");
        if (expiresAt == null) {
            return Optional.of(new Refusal(id, ErrorCode.INVALID_FIELD.withMessage("This node requires signatures, and a signed"
                    + " exec must carry expiresAt (at most " + MAX_EXPIRES_AHEAD.toDays() + " days ahead), so that it cannot be"
                    + " replayed once the node has forgotten its id.")));
        }
        try {
            Instant at = Instant.parse(expiresAt);
            if (at.isAfter(Instant.now().plus(MAX_EXPIRES_AHEAD))) {
                return Optional.of(new Refusal(id, ErrorCode.INVALID_FIELD.withMessage("expiresAt " + expiresAt + " is more than "
                        + MAX_EXPIRES_AHEAD.toDays() + " days ahead; this node requires signatures and accepts signed execs"
                        + " with a nearer delivery deadline only.")));
            }
        } catch (DateTimeParseException e) {
            // Not a timestamp: the decoder refuses it with its own message (INVALID_FIELD).
        }
        return Optional.empty();
    }

    private boolean sameSignedContent(byte[] storedJson, JsonNode message) {
        JsonNode before = parse(storedJson);
        return before != null && Arrays.equals(MessageSignatures.signingInput(before), MessageSignatures.signingInput(message));
    }

    private JsonNode parse(byte[] payload) {
        try {
            JsonNode n = mapper.readTree(payload);
            return n != null && n.isObject() ? n : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode message, String field) {
        JsonNode v = message.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
