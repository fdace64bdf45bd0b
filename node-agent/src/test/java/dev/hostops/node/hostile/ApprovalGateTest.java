package dev.hostops.node.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a node with {@code ask: on-miss}, {@code sh -c} on an allowlisted shell asks a person and does
 * not run while the question is open; a command cannot turn the question off with {@code ask: off}
 * or {@code security: full}; a denial is {@code APPROVAL_DENIED}. And the limit docs/THREAT_MODEL.md
 * states: without {@code requireSignature}, whoever may publish to the control topic is an approver.
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
        Result denied = attacker.awaitResult(id);
        assertThat(denied.status()).isEqualTo(CommandStatus.REJECTED);
        assertThat(denied.error().code()).isEqualTo("APPROVAL_DENIED");
    }

    @Test
    void withoutSignaturesWhoeverCanPublishToControlCanApproveHisOwnRequest() throws Exception {
        // The documented limit (docs/THREAT_MODEL.md): on a node without requireSignature, broker
        // write access to the control topic is an approver. requireSignature + canApprove closes it
        // (SignedCommandsTest.approval_decisions_count_only_when_signed_by_an_approve_key).
        String id = id();
        attacker.send(host.node, exec(id, List.of("/usr/bin/sh", "-c", "/usr/bin/touch " + host.markers.resolve("self-approved"))));
        attacker.awaitApproval(id);
        attacker.control(host.node, new ApprovalDecision(id, host.node, ApprovalDecision.Decision.ALLOW_ONCE, "mallory", null, null));
        assertThat(attacker.awaitResult(id).status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(host.markersLeft()).containsExactly("self-approved");
        java.nio.file.Files.delete(host.markers.resolve("self-approved"));
    }
}
