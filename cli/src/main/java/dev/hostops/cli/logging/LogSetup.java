package dev.hostops.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The CLI's logging, set up in code (found by logback through {@code META-INF/services}): one line
 * per event on stderr, {@code HH:mm:ss.SSS LEVEL Logger - message}, stdout kept for command output
 * and JSON. {@code dev.hostops} logs at {@code HOSTOPS_LOG_LEVEL} (environment or system property;
 * INFO by default), everything else at WARN.
 *
 * <p>In code rather than logback.xml because reading XML loads the JDK's XML parser and logback's
 * configuration model, about 500 classes: 3.5 MiB of an idle node agent's memory, measured. A
 * configuration file given with {@code -Dlogback.configurationFile} still wins.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n";
    /** Chatty libraries: their warnings and errors only. */
    private static final Map<String, Level> QUIET = Map.of(
            "com.hivemq", Level.WARN, "com.zaxxer.hikari", Level.WARN, "org.flywaydb", Level.WARN,
            "io.netty", Level.WARN, "io.vertx", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // the user's file, read by logback's own configurator
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("dev.hostops").setLevel(Level.toLevel(hostopsLevel(), Level.INFO));
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static String hostopsLevel() {
        String level = System.getProperty("HOSTOPS_LOG_LEVEL");
        return level != null ? level : System.getenv("HOSTOPS_LOG_LEVEL");
    }
}
