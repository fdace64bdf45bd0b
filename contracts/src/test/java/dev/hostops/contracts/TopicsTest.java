package dev.hostops.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @Test
    void namesMatchTheDesign() {
        assertThat(Topics.cmd("HostOps-Win")).isEqualTo("hostops/v1/node/HostOps-Win/cmd");
        assertThat(Topics.control("HostOps-Win")).isEqualTo("hostops/v1/node/HostOps-Win/control");
        assertThat(Topics.presence("HostOps-Win")).isEqualTo("hostops/v1/node/HostOps-Win/presence");
        assertThat(Topics.state("HostOps-Win")).isEqualTo("hostops/v1/node/HostOps-Win/state");
        assertThat(Topics.log("HostOps-Win")).isEqualTo("hostops/v1/node/HostOps-Win/log");
        assertThat(Topics.result("HostOps-Win")).isEqualTo("hostops/v1/node/HostOps-Win/result");
        assertThat(Topics.approval("HostOps-Win")).isEqualTo("hostops/v1/node/HostOps-Win/approval");
        assertThat(Topics.allNodes(Topics.Kind.RESULT)).isEqualTo("hostops/v1/node/+/result");
        assertThat(Topics.everything()).isEqualTo("hostops/v1/#");
        assertThat(Topics.AMQP_EXCHANGE).isEqualTo("amq.topic");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "+", "#", "a.b", "a b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void invalidNodeIdsCannotMakeATopic(String node) {
        assertThatThrownBy(() -> Topics.cmd(node))
                .isInstanceOfSatisfying(ContractViolation.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_NODE_ID));
        assertThatThrownBy(() -> Topics.cmd(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Topics.Kind.class)
    void parseInvertsOf(Topics.Kind kind) {
        String topic = Topics.of("node_01-x", kind);
        assertThat(Topics.parse(topic)).contains(new Topics.Parsed("node_01-x", kind));
        assertThat(Topics.Kind.fromSegment(kind.segment())).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hostops/v1/node/n1", "hostops/v1/node/n1/", "hostops/v1/node/n1/cmd/extra", "hostops/v1/node//cmd",
        "hostops/v1/node/+/cmd", "hostops/v1/node/#", "hostops/v2/node/n1/cmd", "hostops/v1/node/n1/unknown",
        "hostops/v1/nodes/n1/cmd", "/hostops/v1/node/n1/cmd", "hostops.v1.node.n1.cmd", "", "hostops/v1/node/n1/CMD"})
    void parseRefusesAnythingElse(String topic) {
        assertThat(Topics.parse(topic)).isEmpty();
    }

    @Test
    void parseOfNullIsEmpty() {
        assertThat(Topics.parse(null)).isEmpty();
    }

    @Test
    void routingKeysReplaceSlashesWithDots() {
        assertThat(Topics.toRoutingKey(Topics.cmd("n1"))).isEqualTo("hostops.v1.node.n1.cmd");
        assertThat(Topics.fromRoutingKey("hostops.v1.node.n1.cmd")).isEqualTo("hostops/v1/node/n1/cmd");
    }

    @Test
    void wildcardsMapBothWays() {
        // MQTT '+' (one level) is AMQP '*'; '#' (any levels) is '#' in both.
        assertThat(Topics.toRoutingKey(Topics.allNodes(Topics.Kind.LOG))).isEqualTo("hostops.v1.node.*.log");
        assertThat(Topics.toRoutingKey(Topics.everything())).isEqualTo("hostops.v1.#");
        assertThat(Topics.toRoutingKey("hostops/v1/node/+/+")).isEqualTo("hostops.v1.node.*.*");
        assertThat(Topics.fromRoutingKey("hostops.v1.node.*.log")).isEqualTo("hostops/v1/node/+/log");
        assertThat(Topics.fromRoutingKey("hostops.v1.#")).isEqualTo("hostops/v1/#");
    }

    @Test
    void everyConcreteTopicRoundTripsThroughItsRoutingKey() {
        for (Topics.Kind kind : Topics.Kind.values()) {
            String topic = Topics.of("Node-7_b", kind);
            assertThat(Topics.fromRoutingKey(Topics.toRoutingKey(topic))).isEqualTo(topic);
            assertThat(Topics.toRoutingKey(topic)).doesNotContain("/");
        }
        String filter = Topics.allNodes(Topics.Kind.STATE);
        assertThat(Topics.fromRoutingKey(Topics.toRoutingKey(filter))).isEqualTo(filter);
    }

    @Test
    void segmentsAreLowerCaseAndUnique() {
        assertThat(Arrays.stream(Topics.Kind.values()).map(Topics.Kind::segment).distinct().count())
                .isEqualTo(Topics.Kind.values().length);
        assertThat(Arrays.stream(Topics.Kind.values()).map(Topics.Kind::segment)).allMatch(s -> s.equals(s.toLowerCase()));
    }
}
