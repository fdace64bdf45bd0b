package dev.hostops.node.store;

import dev.hostops.contracts.CommandStatus;
import dev.hostops.contracts.ErrorCode;
import dev.hostops.contracts.ErrorInfo;
import dev.hostops.contracts.Topics;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import dev.hostops.contracts.message.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Messages for store tests, built with the real contract records and codec. */
final class Fixtures {
    static final String NODE = "node-1";
    static final Instant T0 = Instant.parse("2026-11-22T00:00:00.123456789Z");

    private Fixtures() {}

    static byte[] execJson(String id) {
        return MessageCodec.standard().encode(Exec.of(id, NODE, List.of("git", "status", "--porcelain")));
    }

    static Result succeeded(String id) {
        return new Result(id, NODE, CommandStatus.SUCCEEDED, 0, T0, T0.plusMillis(5), 5L, "/usr/bin/git", null,
                "clean", "", 5, 0, 1, false, null);
    }

    static Result withStatus(String id, CommandStatus status) {
        if (status == CommandStatus.REJECTED || status == CommandStatus.EXPIRED || status == CommandStatus.CANCELLED) {
            return Result.notRun(id, NODE, status, ErrorInfo.of(ErrorCode.MALFORMED_MESSAGE, "test"), null);
        }
        return new Result(id, NODE, status, status == CommandStatus.LOST ? null : 1, T0, T0.plusMillis(5), 5L, null, null,
                null, null, 0, 0, 0, false, null);
    }

    static OutboxEntry publication(Result result) {
        return new OutboxEntry(Topics.result(NODE), MessageCodec.standard().encode(result), false);
    }

    static OutboxEntry message(String text) {
        return new OutboxEntry(Topics.state(NODE), text.getBytes(StandardCharsets.UTF_8), false);
    }
}
