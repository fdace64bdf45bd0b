package dev.hostops.cli.bench;

import dev.hostops.cli.Jars;
import dev.hostops.broker.BrokerUrl;
import dev.hostops.node.bench.AgentBench;
import dev.hostops.node.bench.AgentBenchOptions;
import dev.hostops.node.store.NodeStore;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hostops bench agent}: a real agent on a real broker, beside spawn and broker floors. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"A real node agent: latency, commands/s, log MB/s and idle RSS, beside its floors.",
                "End-to-end latency of a trivial command (/usr/bin/true) from publish to result, sustained "
                        + "commands per second, log streaming throughput and an idle agent's RSS, beside a bare process "
                        + "spawn and a broker round trip measured in the same run. The agent runs in a JVM of its own, "
                        + "started from hostops-node.jar with the service's options (the report's 'agent' says how).",
                "Linux and macOS."},
        footer = {"", "Examples:", "  hostops bench agent --json", "  hostops bench agent --broker mqtt://127.0.0.1:1883 --json",
                "  hostops bench agent --broker mqtt://127.0.0.1:1883 --backlog 100000 --json"})
public final class AgentBenchCommand implements Callable<Integer> {
    @Option(names = "--broker", paramLabel = "URL", description = "Broker to use (default: an embedded one).") String broker;
    @Option(names = "--count", defaultValue = "1000", description = "Measured trivial commands (default ${DEFAULT-VALUE}).") int count;
    @Option(names = "--warmup", defaultValue = "200", description = "Unmeasured commands before the latency run (default ${DEFAULT-VALUE}).") int warmup;
    @Option(names = "--throughput", defaultValue = "3000", description = "Commands in the throughput run.") int throughput;
    @Option(names = "--log-mib", defaultValue = "100", description = "MiB of output in the log streaming run.") int logMiB;
    @Option(names = "--concurrency", defaultValue = "8", description = "The agent's max-concurrency.") int concurrency;
    @Option(names = "--durability", defaultValue = "full", description = "full or normal (the node store's fsync policy).") String durability;
    @Option(names = "--backlog", defaultValue = "0", paramLabel = "N",
            description = "Also publish N trivial commands at once to a fresh agent and report its peak RSS (default 0: skip).") int backlog;
    @Option(names = "--json", description = "JSON report on stdout (the default output too).") boolean json;

    @Override
    public Integer call() throws Exception {
        Path jar = Jars.forNodeAgent().orElse(null); // the idle-RSS process runs from the jar a node agent uses
        AgentBenchOptions options = new AgentBenchOptions(broker == null ? null : BrokerUrl.parse(broker), warmup, count,
                throughput, logMiB, concurrency, NodeStore.Durability.valueOf(durability.toUpperCase(Locale.ROOT)), jar, backlog);
        Reports.print(new AgentBench(options, Reports::progress).run());
        return 0;
    }
}
