package dev.hostops.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.node.NodeAgent;
import dev.hostops.node.internal.SessionTakeovers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two agents started with one node id (each with its own data directory, as on two hosts): the
 * broker hands the node's session to whichever connected last. They must say so, as an ERROR
 * with what to do, and not take the session from each other many times a second (measured before:
 * 46 takeovers in 10 s).
 */
class DuplicateNodeTest {
    @TempDir
    Path tmp;

    @Test
    void twoAgentsWithOneNodeIdSayItAndDoNotFlapAtFullSpeed() throws Exception {
        String node = "twin-" + UUID.randomUUID().toString().substring(0, 8);
        // Every lost connection of either agent is one line of one of these (a takeover, or before the
        // fix the agent's "lost the broker connection"): Mosquitto's own log is flushed too late to count.
        Logger logger = (Logger) LoggerFactory.getLogger(SessionTakeovers.class);
        Logger agentLogger = (Logger) LoggerFactory.getLogger(NodeAgent.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        ListAppender<ILoggingEvent> losses = new ListAppender<>();
        log.start();
        losses.start();
        logger.addAppender(log);
        logger.addAppender(losses);
        agentLogger.addAppender(losses);
        try (MosquittoProcess mosquitto = MosquittoProcess.start(Files.createDirectories(tmp.resolve("mosquitto")))) {
            TestHost first = new TestHost(Files.createDirectories(tmp.resolve("first")), node);
            TestHost second = new TestHost(Files.createDirectories(tmp.resolve("second")), node);
            try (NodeAgent a = first.start(mosquitto.url()); NodeAgent b = second.start(mosquitto.url())) {
                long start = System.nanoTime();
                Awaitility.await().pollDelay(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(13)).until(() -> true);
                long ms = (System.nanoTime() - start) / 1_000_000;
                long takeovers = losses.list.stream().filter(e -> e.getLoggerName().equals(SessionTakeovers.class.getName())
                        || e.getFormattedMessage().contains("lost the broker connection")).count();

                System.out.println("[DuplicateNodeTest] " + takeovers + " lost connections in " + ms + " ms");
                SoftAssertions softly = new SoftAssertions();
                softly.assertThat(takeovers).as("lost connections of both agents in the %d ms since both started", ms).isLessThan(12);
                softly.assertThat(log.list).as("an ERROR about the other agent")
                        .anySatisfy(e -> {
                            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                            assertThat(e.getFormattedMessage()).contains("another node agent runs with node id " + node)
                                    .contains("Stop the other agent");
                        });
                softly.assertAll();
            }
        } finally {
            logger.detachAppender(log);
            logger.detachAppender(losses);
            agentLogger.detachAppender(losses);
        }
    }
}
