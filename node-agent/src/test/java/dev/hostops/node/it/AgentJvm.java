package dev.hostops.node.it;

import dev.hostops.broker.BrokerUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A node agent in a JVM of its own ({@link AgentProcessMain}), for what only a real process shows:
 * SIGKILL (no shutdown hook, no clean disconnect) and SIGTERM (the shutdown hook closes the agent,
 * as for {@code hostops node run} under a service manager). Its output goes to {@link #log}.
 */
final class AgentJvm implements AutoCloseable {
    final Process process;
    final Path log;

    private AgentJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the agent of {@code host} and returns once it is online. */
    static AgentJvm start(BrokerUrl broker, TestHost host) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dlogback.configurationFile=" + logbackConfig(host.root));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AgentProcessMain.class.getName());
        cmd.add(broker.toUnredactedString());
        cmd.add(host.node);
        cmd.add(host.policy.toString());
        cmd.add(host.data.toString());
        Path log = Files.createTempFile(host.root, "agent-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AgentJvm agent = new AgentJvm(p, log);
        try {
            Awaitility.await("the agent process starts (log: " + log + ")").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("the agent process exited; log: " + log, () -> !p.isAlive())
                    .until(() -> agent.output().contains("AGENT-STARTED"));
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /** hostops's own messages from INFO up (the tests' logback file shows WARN up), so a test can read them. */
    private static Path logbackConfig(Path dir) throws IOException {
        return Files.writeString(dir.resolve("agent-logback.xml"), String.join("\n",
                "<configuration>",
                "  <appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>",
                "  </appender>",
                "  <logger name=\"dev.hostops\" level=\"INFO\"/>",
                "  <root level=\"WARN\"><appender-ref ref=\"OUT\"/></root>",
                "</configuration>", ""));
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as a service manager or Ctrl-C stops it; returns its exit code. */
    int terminate(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the agent did not stop within " + limit + " of SIGTERM; log: " + log);
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
