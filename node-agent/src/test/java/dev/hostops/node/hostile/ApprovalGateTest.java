package dev.hostops.node.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Exec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a node with {@code ask: on-miss}, {@code sh -c} on an allowlisted shell asks a person and does
 * not run while the question is open; a command cannot turn the question off with {@code ask: off}
 * or {@code security: full}; a denial is {@code APPROVAL_DENIED}.
 */
class ApprovalGateTest extends AgentUnderAttack {
    @Override
    String ask() {
        return "on-miss";
    }

    @Test
    void aShellWrapperWaitsForAPersonAndRunsNothingWhenDenied() throws Exception {
        String id = id();
        Exec e = with(exec(id, List.of("/usr/bin/sh", "-c", "/usr/bin/touch " + host.markers.resolve("asked"))),
                null, null, SecurityMode.FULL, AskMode.OFF);
        attacker.send(host.node, e);

        ApprovalRequest asked = attacker.awaitApproval(id);
        assertThat(asked.reason()).startsWith("shell wrapper");
        assertThat(host.markersLeft()).isEmpty();
        assertThat(attacker.hasResult(id)).isFalse();

        attacker.control(host.node, new ApprovalDecision(id, host.node, ApprovalDecision.Decision.DENY, "alice", "no", null));
        assertThat(attacker.awaitResult(id).error().code()).isEqualTo("APPROVAL_DENIED");
    }
}
