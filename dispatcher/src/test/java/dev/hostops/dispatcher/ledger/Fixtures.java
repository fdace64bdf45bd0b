package dev.hostops.dispatcher.ledger;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.PolicyDecision;
import dev.hostops.contracts.message.Presence;
import dev.hostops.contracts.message.Result;
import dev.hostops.contracts.message.StateChange;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Messages for ledger tests, at fixed millisecond times (the ledger keeps milliseconds). */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    private Fixtures() {}

    static String newId() {
        return UUID.randomUUID().toString();
    }

    static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static Exec exec(String id, String node) {
        return Exec.of(id, node, List.of("git", "fetch", "--all")).withTimeoutMs(60_000L).withExpiresAt(t(600));
    }

    static StateChange state(String id, String node, CommandStatus status, long atSeconds) {
        return new StateChange(id, node, status, t(atSeconds), null);
    }

    static Result succeeded(String id, String node, long startSeconds, long endSeconds) {
        return new Result(id, node, CommandStatus.SUCCEEDED, 0, t(startSeconds), t(endSeconds),
                (endSeconds - startSeconds) * 1000, "/usr/bin/git", new PolicyDecision("allow", "allow[0] /usr/bin/git"),
                "done\n", "", 5, 0, 1, false, null);
    }

    static Result failed(String id, String node, long startSeconds, long endSeconds) {
        return new Result(id, node, CommandStatus.FAILED, 1, t(startSeconds), t(endSeconds),
                (endSeconds - startSeconds) * 1000, "/usr/bin/git", null, "", "fatal\n", 0, 6, 1, false,
                new ErrorInfo("EXIT_NONZERO", "git exited with 1"));
    }

    static Presence online(String session, String node, long atSeconds) {
        return new Presence(session, node, Presence.State.ONLINE, "host-" + node, "linux", "amd64", "0.1.0", "sha256:ab",
                List.of("exec"), null, 4, t(atSeconds));
    }

    static Presence offline(String session, String node, long atSeconds) {
        return new Presence(session, node, Presence.State.OFFLINE, null, null, null, null, null, null, null, null, t(atSeconds));
    }
}
