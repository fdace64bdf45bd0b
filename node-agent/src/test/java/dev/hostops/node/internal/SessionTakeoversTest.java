package dev.hostops.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hostops.broker.SessionTakenOverException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SessionTakeoversTest {
    private final AtomicLong now = new AtomicLong();
    private final SessionTakeovers takeovers = new SessionTakeovers("A", "hostops-node-A", now::get);
    private final Logger logger = (Logger) LoggerFactory.getLogger(SessionTakeovers.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    private static SessionTakenOverException takeover() {
        return new SessionTakenOverException("the broker handed the session away", null);
    }

    @Test
    void theThirdTakeoverInFiveMinutesIsAnErrorThatSaysWhatToDoThenOnceAWindow() {
        assertThat(takeovers.lost(takeover())).isTrue();
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        takeovers.lost(takeover());
        assertThat(log.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.WARN);

        now.addAndGet(Duration.ofSeconds(4).toNanos());
        takeovers.lost(takeover());
        ILoggingEvent error = log.list.get(2);
        assertThat(error.getLevel()).isEqualTo(Level.ERROR);
        assertThat(error.getFormattedMessage()).contains("another node agent runs with node id A")
                .contains("client id 'hostops-node-A'").contains("3 times").contains("Stop the other agent");

        for (int i = 0; i < 5; i++) {
            now.addAndGet(Duration.ofSeconds(30).toNanos());
            takeovers.lost(takeover());
        }
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(1);
        now.addAndGet(Duration.ofSeconds(150).toNanos());
        takeovers.lost(takeover());
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(2);
    }

    @Test
    void otherLossesAreNotItsBusiness() {
        assertThat(takeovers.lost(new IOException("connection reset"))).isFalse();
        assertThat(takeovers.lost(null)).isFalse();
        assertThat(log.list).isEmpty();
    }
}
