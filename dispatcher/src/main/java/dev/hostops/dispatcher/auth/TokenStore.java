package dev.hostops.dispatcher.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hostops.dispatcher.internal.ConfigFileErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens the dispatcher accepts, read from a YAML file:
 *
 * <pre>
 * tokens:
 *   - name: tier2
 *     token: "change-me-long-random"     # or "sha256:&lt;64 hex digits&gt;"
 *     roles: [submit, read]              # read | submit | approve | admin
 *     nodes: [build-*]                   # optional: the nodes it may act on ({@link NodeScope})
 * </pre>
 *
 * <p>Only the SHA-256 of each token is kept in memory. A presented token is hashed and compared
 * with every entry by {@link MessageDigest#isEqual} (constant time, and all entries are compared so
 * the time does not tell which one matched). Tokens are never logged; error messages name the
 * entry, not its token.
 */
public final class TokenStore {
    /** Plain tokens shorter than this are refused: they can be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final String SHA256_PREFIX = "sha256:";

    private record Entry(String name, byte[] digest, Set<Role> roles, NodeScope nodes) {}

    private final List<Entry> entries;

    private TokenStore(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A store that accepts no token at all. */
    public static TokenStore empty() {
        return new TokenStore(List.of());
    }

    /** Reads and validates a token file; the exception says which entry and field is wrong. */
    public static TokenStore load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(ConfigFileErrors.describe("the tokens file", file, e)
                    + ": write one (docs/API.md, Auth, shows the format), or leave --tokens (HOSTOPS_TOKENS) out, and then only /healthz "
                    + "and /readyz answer", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(ConfigFileErrors.describe("the tokens file", file, e), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tokens file " + file + ": " + e.getMessage(), e);
        }
    }

    static TokenStore parse(JsonNode root) {
        if (root == null || !root.isObject() || !root.path("tokens").isArray()) {
            throw new IllegalArgumentException("must be a mapping with a 'tokens' list");
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode t : root.get("tokens")) {
            String where = "tokens[" + i++ + "]";
            String name = text(t, "name", where);
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ".name '" + name + "' is used twice");
            }
            where = where + " (" + name + ")";
            String token = text(t, "token", where);
            byte[] digest;
            if (token.startsWith(SHA256_PREFIX)) {
                String hex = token.substring(SHA256_PREFIX.length());
                if (!hex.matches("[0-9a-fA-F]{64}")) {
                    throw new IllegalArgumentException(where + ".token: sha256: must be followed by 64 hex digits");
                }
                digest = HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
            } else {
                if (token.length() < MIN_TOKEN_LENGTH) {
                    throw new IllegalArgumentException(where + ".token must be at least " + MIN_TOKEN_LENGTH
                            + " characters (or sha256:<hex>)");
                }
                digest = sha256(token);
            }
            JsonNode rolesNode = t.get("roles");
            if (rolesNode == null || !rolesNode.isArray() || rolesNode.isEmpty()) {
                throw new IllegalArgumentException(where + ".roles must be a non-empty list of read, submit, approve, admin");
            }
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            for (JsonNode r : rolesNode) {
                try {
                    roles.add(Role.fromWire(r.asText()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".roles: " + e.getMessage());
                }
            }
            entries.add(new Entry(name, digest, roles, nodes(t.get("nodes"), where)));
        }
        return new TokenStore(entries);
    }

    /** The optional {@code nodes} list: node ids or patterns with {@code *}; absent means every node. */
    private static NodeScope nodes(JsonNode list, String where) {
        if (list == null || list.isNull()) {
            return NodeScope.everyNode();
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException(where + ".nodes must be a list of node ids or patterns such as build-*");
        }
        List<String> patterns = new ArrayList<>();
        list.forEach(n -> patterns.add(n.isTextual() ? n.asText() : null));
        try {
            return NodeScope.of(patterns);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".nodes: " + e.getMessage());
        }
    }

    private static String text(JsonNode t, String field, String where) {
        JsonNode v = t == null ? null : t.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + "." + field + " is required and must be a string");
        }
        return v.asText();
    }

    /** The principal for a presented token, or empty. Compares against every entry. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Entry match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest) && match == null) {
                match = e;
            }
        }
        return match == null ? Optional.empty() : Optional.of(new Principal(match.name, match.roles, match.nodes));
    }

    public int size() {
        return entries.size();
    }

    /** {@code sha256:<hex>} of a token, the form to store in a tokens file instead of the token. */
    public static String hashForFile(String token) {
        return SHA256_PREFIX + HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "TokenStore[" + entries.size() + " tokens]";
    }
}
