package dev.hostops.dispatcher.ledger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.UUID;

/**
 * A child process for {@link LedgerKillTest}: records commands as fast as it can and prints the id
 * of each one whose future completed (the ledger's "committed" acknowledgement), until killed.
 * Arguments: JDBC URL, durability, optional user.
 */
public final class KillChild {
    private KillChild() {}

    public static void main(String[] args) {
        LedgerConfig config = LedgerConfig.of(args[0]).withMeterRegistry(new SimpleMeterRegistry())
                .withDurability(LedgerConfig.Durability.valueOf(args[1]));
        if (args.length > 2) {
            config = config.withCredentials(args[2], null);
        }
        PrintStream out = System.out;
        Ledger ledger = Ledger.open(config);
        out.println("READY");
        out.flush();
        while (true) {
            String id = UUID.randomUUID().toString();
            ledger.recordCommandAsync(Fixtures.exec(id, "node-k"), "broker", "killed", Instant.now())
                    .thenRun(() -> {
                        synchronized (out) {
                            out.println("ACK " + id);
                            out.flush();
                        }
                    });
            ledger.appendLogAsync(new dev.hostops.contracts.message.LogChunk(id, "node-k", 0,
                    dev.hostops.contracts.message.LogChunk.Stream.STDOUT, "x", null, true));
        }
    }
}
