package dev.hostops.contracts.schema;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.contracts.message.ApprovalDecision;
import dev.hostops.contracts.message.ApprovalRequest;
import dev.hostops.contracts.message.Cancel;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.LogChunk;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.MessageType;
import dev.hostops.contracts.message.PolicyDecision;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.Signature;
import dev.hostops.contracts.message.StateChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages built on the Java side, every record component set ({@link #full()}) and as little as
 * possible ({@link #minimal()}), so that what Java encodes is checked against the schemas too.
 * A new record component must be given a value here, or {@code full()} stops compiling.
 */
public final class SampleMessages {
    static final Instant T0 = Instant.parse("2026-11-21T22:59:01Z");
    static final Signature SIG = new Signature("ed25519", "k1", "c2lnbmF0dXJl");

    private SampleMessages() {}

    public static List<Message> full() {
        List<Message> all = new ArrayList<>();
        all.add(new Exec("0193a6c2-7b1e-7c3a-9a51-3f7c2d9e8b10", "HostOps-Win", List.of("git", "fetch", "--all", "--prune"), null,
                "C:\\OpenClaw", Map.of("GIT_TERMINAL_PROMPT", "0"), 600_000L, Instant.parse("2026-11-21T23:00:00Z"),
                SecurityMode.ALLOWLIST, AskMode.ON_MISS, "tier2", "reply/topic", Map.of("ticket", "OPS-1"), SIG));
        all.add(new Exec("c1", "HostOps-Win", null, "curl.exe -fsS http://127.0.0.1:18789/healthz",
                "C:\\OpenClaw", null, null, null, SecurityMode.DENY, AskMode.ALWAYS, null, null, null, null));
        all.add(new Cancel("c1", "n1", "operator stop", "alice", SIG));
        all.add(new ApprovalRequest("a1", "n1", List.of("pwsh", "-File", "C:\\HostOps\\x.ps1"), "C:\\HostOps",
                "C:\\Program Files\\PowerShell\\7\\pwsh.exe", "allowlist miss", "tier2", T0.plusSeconds(120)));
        for (ApprovalDecision.Decision d : ApprovalDecision.Decision.values()) {
            all.add(new ApprovalDecision("a1", "n1", d, "alice", "ok", SIG));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("site", "home");
        labels.put("os", "windows");
        for (Presence.State s : Presence.State.values()) {
            all.add(new Presence("sess-1", "n1", s, "DESKTOP-42", "Windows 11", "amd64", "0.1.0", "sha256:9f",
                    List.of("exec", "cancel"), labels, 4, T0));
        }
        for (CommandStatus s : CommandStatus.values()) {
            all.add(new StateChange("s1", "n1", s, T0, "detail"));
            if (s.isTerminal()) {
                all.add(new Result("r1", "n1", s, 1, T0, T0.plusMillis(812), 812L, "/usr/bin/git",
                        new PolicyDecision("allow", "allow[0] /usr/bin/git"), "out", "err", 10, 20, 3, true,
                        ErrorCode.SPAWN_FAILED.info()));
            }
        }
        for (LogChunk.Stream st : LogChunk.Stream.values()) {
            all.add(new LogChunk("l1", "n1", 5, st, "text", LogChunk.UTF_8, true));
            all.add(LogChunk.of("l1", "n1", 6, st, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}, false));
        }
        return all;
    }

    public static List<Message> minimal() {
        return List.of(
                Exec.of("e1", "n1", List.of("git")),
                Cancel.of("c1", "n1", null),
                new ApprovalRequest("a1", "n1", null, null, null, "ask: always", null, null),
                new ApprovalDecision("a1", "n1", ApprovalDecision.Decision.DENY, null, null, null),
                Presence.offline("sess-1", "n1"),
                new StateChange("s1", "n1", CommandStatus.RUNNING, T0, null),
                new LogChunk("l1", "n1", 0, LogChunk.Stream.STDOUT, "", null, false),
                LogChunk.of("l1", "n1", 0, LogChunk.Stream.STDERR, "héllo".getBytes(StandardCharsets.UTF_8), false),
                new Result("r1", "n1", CommandStatus.REJECTED, null, null, null, null, null, null, null, null, 0, 0, 0, false, null));
    }

    /** Every message type appears in both lists; checked so that a new type cannot be forgotten. */
    public static boolean coversEveryType(List<Message> messages) {
        return messages.stream().map(m -> MessageType.of(m.getClass())).distinct().count() == MessageType.values().length;
    }
}
