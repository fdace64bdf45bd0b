package dev.hostops.node.store;

import dev.hostops.contracts.CommandStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * What the node remembers about one command id. Byte arrays are copied in and out, so the record
 * is immutable.
 *
 * @param commandId  the dedupe key
 * @param status     DELIVERED, AWAITING_APPROVAL, RUNNING or a terminal status
 * @param execJson   the exec message exactly as first received
 * @param receivedAt when it was claimed
 * @param startedAt  when it was marked running; null before
 * @param pid        the process id once known; null before (and null for a RUNNING command whose
 *                   process may or may not have been spawned, see {@link NodeStore#markStarting})
 * @param resultJson the final result (JSON, {@code MessageCodec.standard()}); present exactly when
 *                   the status is terminal
 */
public record CommandRecord(
        String commandId,
        CommandStatus status,
        byte[] execJson,
        Instant receivedAt,
        Instant startedAt,
        Long pid,
        byte[] resultJson) {

    public CommandRecord {
        Objects.requireNonNull(commandId, "commandId must not be null");
        Objects.requireNonNull(status, "status must not be null");
        Objects.requireNonNull(execJson, "execJson must not be null");
        Objects.requireNonNull(receivedAt, "receivedAt must not be null");
        if (status == CommandStatus.QUEUED) {
            throw new IllegalArgumentException("status QUEUED is a dispatcher state; a node record starts at DELIVERED");
        }
        if (status.isTerminal() != (resultJson != null)) {
            throw new IllegalArgumentException("resultJson must be present exactly when the status is terminal (status "
                    + status + ")");
        }
        execJson = execJson.clone();
        resultJson = resultJson == null ? null : resultJson.clone();
    }

    @Override
    public byte[] execJson() {
        return execJson.clone();
    }

    @Override
    public byte[] resultJson() {
        return resultJson == null ? null : resultJson.clone();
    }

    /** The stored result, when the command is terminal. */
    public Optional<byte[]> result() {
        return Optional.ofNullable(resultJson());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CommandRecord r && commandId.equals(r.commandId) && status == r.status
                && Arrays.equals(execJson, r.execJson) && receivedAt.equals(r.receivedAt)
                && Objects.equals(startedAt, r.startedAt) && Objects.equals(pid, r.pid)
                && Arrays.equals(resultJson, r.resultJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(commandId, status, Arrays.hashCode(execJson), receivedAt, startedAt, pid,
                Arrays.hashCode(resultJson));
    }

    @Override
    public String toString() {
        return "CommandRecord[" + commandId + " " + status + ", received " + receivedAt
                + (startedAt == null ? "" : ", started " + startedAt) + (pid == null ? "" : ", pid " + pid)
                + (resultJson == null ? "" : ", result " + resultJson.length + " bytes") + "]";
    }
}
