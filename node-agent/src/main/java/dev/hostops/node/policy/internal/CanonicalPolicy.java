package dev.hostops.node.policy.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.node.policy.AllowRule;
import dev.hostops.node.policy.AskFallback;
import dev.hostops.node.policy.DenyRule;
import dev.hostops.node.policy.Policy;
import dev.hostops.node.policy.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of a policy: compact JSON with the keys in a fixed order and every default written out, so
 * that comments, layout, quoting style and omitted defaults do not change the digest, while any change of meaning
 * does. Approved entries and the approved file's location are node state, not policy, and are left out.
 */
public final class CanonicalPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalPolicy() {}

    public static String canonicalJson(Policy policy) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("security", policy.security().wire());
        root.put("ask", policy.ask().wire());
        // "allow" for FULL: the name it had when digests were first taken, so they stay the same.
        root.put("askFallback", policy.askFallback() == AskFallback.FULL ? "allow" : policy.askFallback().wire());
        root.put("approvalTimeoutMs", policy.approvalTimeout().toMillis());
        List<Object> allow = new ArrayList<>();
        for (AllowRule r : policy.allow()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", r.path());
            m.put("args", r.args());
            m.put("workdirs", r.workdirs());
            if (!r.env().isEmpty()) { // left out when empty, so older digests stay as they were
                m.put("env", r.env());
            }
            allow.add(m);
        }
        root.put("allow", allow);
        List<Object> deny = new ArrayList<>();
        for (DenyRule r : policy.deny()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", r.path());
            m.put("args", r.args());
            deny.add(m);
        }
        root.put("deny", deny);
        root.put("requireSignature", policy.requireSignature());
        if (!policy.trustedKeys().isEmpty()) { // left out when empty, so older digests stay as they were
            List<Object> keys = new ArrayList<>();
            for (TrustedKey k : policy.trustedKeys()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", k.keyId());
                m.put("name", k.name());
                m.put("canSubmit", k.canSubmit());
                m.put("canApprove", k.canApprove());
                keys.add(m);
            }
            root.put("trustedKeys", keys);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings cannot fail to serialise", e);
        }
    }

    public static String digest(Policy policy) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonicalJson(policy).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
