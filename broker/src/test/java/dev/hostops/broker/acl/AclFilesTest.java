package dev.hostops.broker.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The generated files' structure: what each user's regexes let through and what they stop. */
class AclFilesTest {
    private static final AclPlan PLAN = new AclPlan(List.of("A", "B-2"), "hostops-dispatcher", "hostops-dashboard", "hostops");
    private static final List<String> KINDS = List.of("cmd", "control", "presence", "state", "log", "result", "approval");

    private final List<Credential> creds = AclFiles.newCredentials(PLAN);
    private final JsonNode defs = read(AclFiles.rabbitDefinitions(PLAN, creds));

    @Test
    void everyPrincipalHasAUserWithAHashOfItsPassword() throws Exception {
        Map<String, JsonNode> users = byName(defs.get("users"), "name");
        assertThat(users.keySet()).containsExactlyInAnyOrder("hostops-node-A", "hostops-node-B-2", "hostops-dispatcher", "hostops-dashboard");
        for (Credential c : creds) {
            JsonNode u = users.get(c.amqpUser());
            assertThat(u.get("hashing_algorithm").asText()).isEqualTo("rabbit_password_hashing_sha256");
            byte[] raw = Base64.getDecoder().decode(u.get("password_hash").asText());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(raw, 0, 4);
            byte[] expected = sha.digest(c.password().getBytes(StandardCharsets.UTF_8));
            assertThat(java.util.Arrays.copyOfRange(raw, 4, raw.length)).isEqualTo(expected);
        }
        assertThat(defs.get("vhosts").get(0).get("name").asText()).isEqualTo("hostops");
    }

    @Test
    void aNodesTopicPermissionsCoverOnlyItsOwnKeys() {
        JsonNode a = byName(defs.get("topic_permissions"), "user").get("hostops-node-A");
        assertThat(a.get("exchange").asText()).isEqualTo("amq.topic");
        for (String kind : KINDS) {
            boolean toNode = kind.equals("cmd") || kind.equals("control");
            assertThat(matches(a.get("read"), key("A", kind))).as("A reads own " + kind).isEqualTo(toNode);
            assertThat(matches(a.get("write"), key("A", kind))).as("A writes own " + kind).isEqualTo(!toNode);
            assertThat(matches(a.get("read"), key("B-2", kind))).as("A reads B's " + kind).isFalse();
            assertThat(matches(a.get("write"), key("B-2", kind))).as("A writes B's " + kind).isFalse();
        }
        assertThat(matches(a.get("read"), key("*", "cmd"))).as("A binds every node's cmd").isFalse();
        assertThat(matches(a.get("read"), "hostops.v1.node.#")).isFalse();
        JsonNode perm = byName(defs.get("permissions"), "user").get("hostops-node-A");
        assertThat(matches(perm.get("configure"), "hostops.client.hostops-node-A")).as("the agent's own queue").isTrue();
        assertThat(matches(perm.get("configure"), "hostops.client.A")).isFalse();
        assertThat(matches(perm.get("configure"), "hostops.client.hostops-node-B-2")).isFalse();
    }

    @Test
    void theDispatcherCommandsAndReadsEverythingTheDashboardOnlyReads() {
        Map<String, JsonNode> topics = byName(defs.get("topic_permissions"), "user");
        JsonNode d = topics.get("hostops-dispatcher");
        JsonNode dash = topics.get("hostops-dashboard");
        for (String kind : KINDS) {
            boolean toNode = kind.equals("cmd") || kind.equals("control");
            assertThat(matches(d.get("write"), key("B-2", kind))).as("dispatcher writes " + kind).isEqualTo(toNode);
            assertThat(matches(d.get("read"), key("*", kind))).as("dispatcher binds every " + kind).isTrue();
            assertThat(matches(dash.get("read"), key("*", kind))).as("dashboard binds every " + kind).isTrue();
            assertThat(matches(dash.get("write"), key("A", kind))).as("dashboard writes " + kind).isFalse();
        }
        JsonNode dashPerm = byName(defs.get("permissions"), "user").get("hostops-dashboard");
        assertThat(matches(dashPerm.get("write"), "amq.topic")).as("dashboard may publish to amq.topic").isFalse();
    }

    @Test
    void theMosquittoAclNamesEveryUserAndNoPattern() {
        String acl = AclFiles.mosquittoAcl(PLAN);
        assertThat(acl).contains("user A\ntopic read hostops/v1/node/A/cmd\n", "user B-2\n", "user hostops-dashboard\n");
        String rules = acl.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"));
        assertThat(rules).doesNotContain("pattern", "#");
        String dashboard = acl.substring(acl.indexOf("user hostops-dashboard"));
        assertThat(dashboard).doesNotContain("write");
    }

    @Test
    void mosquittoHashIsPbkdf2Sha512AsMosquittoPasswdWritesIt() {
        // Known answer: PBKDF2-HMAC-SHA512("secret", salt 0..11, 101 iterations), computed independently with Python's hashlib.
        byte[] salt = new byte[12];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) i;
        }
        String hash = PasswordHashes.mosquitto("secret", salt, 101);
        assertThat(hash).matches(Pattern.quote("$7$101$AAECAwQFBgcICQoL$") + "[A-Za-z0-9+/]{86}==");
        assertThat(hash).isEqualTo(KNOWN_ANSWER);
    }

    @Test
    void planRejectsCollisionsAndBadIds() {
        assertThatThrownBy(() -> new AclPlan(List.of("a/b"), "d", "x", "v")).hasMessageContaining("node");
        assertThatThrownBy(() -> new AclPlan(List.of("d"), "d", "x", "v")).hasMessageContaining("must not equal");
        assertThatThrownBy(() -> new AclPlan(List.of("a", "a"), "d", "x", "v")).hasMessageContaining("twice");
        assertThatThrownBy(() -> new AclPlan(List.of(), "d", "x", "v")).hasMessageContaining("at least one");
    }

    @Test
    void credentialsNeverPrintTheirPassword() {
        assertThat(creds.get(0).toString()).doesNotContain(creds.get(0).password());
        assertThat(AclFiles.credentialsText(creds)).contains("node A hostops-node-A " + creds.get(0).password());
    }

    static final String KNOWN_ANSWER = "$7$101$AAECAwQFBgcICQoL$"
            + "Xr99N9ym9ys8TWxis5ajETJq6EVYzmc6nb8t3pUYnPBbCAbICS4xejTltonXWCtJNBvA+By+TXUqU6qCblO00w==";

    private static String key(String node, String kind) {
        return "hostops.v1.node." + node + "." + kind;
    }

    private static boolean matches(JsonNode regex, String s) {
        return Pattern.compile(regex.asText()).matcher(s).find();
    }

    private static Map<String, JsonNode> byName(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false)
                .collect(Collectors.toMap(n -> n.get(field).asText(), Function.identity()));
    }

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
