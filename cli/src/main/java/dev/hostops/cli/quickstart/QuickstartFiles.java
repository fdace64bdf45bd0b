package dev.hostops.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hostops.node.policy.AllowRule;
import dev.hostops.node.policy.DenyRule;
import dev.hostops.node.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quickstart's files, written once and then reused: a token file with one admin token, and
 * the demo policy (programs pinned to their real paths on this host; anything else asks).
 */
record QuickstartFiles(Path tokens, String token, Path policy, List<String> demoArgv) {
    private static final Pattern TOKEN = Pattern.compile("token:\\s*\"?([0-9a-f]{64})\"?");

    static QuickstartFiles prepare(Path dir) throws IOException {
        Path tokens = dir.resolve("tokens.yaml");
        String token = existingToken(tokens);
        if (token == null) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            token = HexFormat.of().formatHex(random);
            Files.writeString(tokens, "# hostops quickstart: one admin token (generated)\ntokens:\n  - name: quickstart\n    token: \""
                    + token + "\"\n    roles: [admin]\n");
        }
        Path workdir = Files.createDirectories(dir.resolve("work"));
        Path policy = dir.resolve("policy.yaml");
        Policy demo = Policy.demo(workdir);
        if (!Files.exists(policy)) {
            Files.writeString(policy, "# hostops quickstart demo policy (generated). Programs are pinned to their real\n"
                    + "# paths on this host; anything else asks for an approval. See docs/POLICY.md.\n" + yaml(demo));
        }
        return new QuickstartFiles(tokens, token, policy, demoArgv(demo));
    }

    private static String existingToken(Path tokens) throws IOException {
        if (!Files.exists(tokens)) {
            return null;
        }
        Matcher m = TOKEN.matcher(Files.readString(tokens));
        return m.find() ? m.group(1) : null;
    }

    /** The first of hostname, whoami that the demo policy allows on this host. */
    private static List<String> demoArgv(Policy demo) {
        for (String name : List.of("hostname", "whoami")) {
            for (AllowRule r : demo.allow()) {
                String file = r.path().substring(r.path().lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
                if (file.equals(name) || file.equals(name + ".exe")) {
                    return List.of(name);
                }
            }
        }
        throw new IllegalStateException("neither hostname nor whoami was found on this host's PATH; the demo needs one");
    }

    private static String yaml(Policy p) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("security", p.security().wire());
        doc.put("ask", p.ask().wire());
        doc.put("askFallback", p.askFallback().wire());
        doc.put("approvalTimeout", p.approvalTimeout().toSeconds() + "s");
        List<Map<String, Object>> allow = new ArrayList<>();
        for (AllowRule r : p.allow()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", r.path());
            if (r.args() != null && !r.args().isEmpty()) {
                m.put("args", r.args());
            }
            if (r.workdirs() != null && !r.workdirs().isEmpty()) {
                m.put("workdirs", r.workdirs());
            }
            allow.add(m);
        }
        doc.put("allow", allow);
        List<Map<String, Object>> deny = new ArrayList<>();
        for (DenyRule r : p.deny()) {
            deny.add(Map.of("path", r.path(), "args", r.args()));
        }
        doc.put("deny", deny);
        return new ObjectMapper(new YAMLFactory().disable(com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                .writeValueAsString(doc);
    }
}
