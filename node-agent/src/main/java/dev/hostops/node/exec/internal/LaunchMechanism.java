package dev.hostops.node.exec.internal;

import java.util.Locale;

/**
 * How the JVM starts a process, chosen once, before the first spawn, by the launcher's entry
 * points (the CLI's {@code Main.prepareJvm}, which the node's entry point runs too). On Linux the
 * JDK's default ({@code POSIX_SPAWN}) execs a helper, {@code jspawnhelper}, which then execs the
 * program: two execs per command. {@code VFORK} execs the program straight from the child (the
 * JDK's default on Linux up to JDK 11), which halves what a short command's start costs: starting
 * and reaping {@code /usr/bin/true} from Java took 1.5 to 1.7 ms at p50 with the default and 0.7 to
 * 1.0 ms with vfork, side by side on the benchmark machine (docs/BENCHMARKS.md, session 6).
 * Everything else about a process (pipes, environment, workdir, the error for a program that
 * cannot be run) is the same.
 *
 * <p>Only where it is supported and not on its way out: Linux, JDK 21 or older. JDK 23 deprecates
 * the vfork mode (a warning on every start, and a later JDK may refuse the value, which would make
 * every spawn fail), macOS has no vfork mode, Windows no launch mechanism. A mechanism the operator
 * set with {@code -Djdk.lang.Process.launchMechanism} is left alone.
 */
public final class LaunchMechanism {
    static final String PROPERTY = "jdk.lang.Process.launchMechanism";
    static final int LAST_JDK_WITH_VFORK_SUPPORTED = 21;

    private LaunchMechanism() {}

    /**
     * Sets the fast mechanism for this JVM where it applies. Takes effect only if no process was
     * started in this JVM yet (the JDK reads the property once, at its first spawn).
     *
     * @return the mechanism this JVM's spawns use ({@code "default"} when the JDK chooses)
     */
    public static String preferFastest() {
        String chosen = choose(System.getProperty("os.name", ""), Runtime.version().feature(), System.getProperty(PROPERTY));
        if (chosen != null) {
            System.setProperty(PROPERTY, chosen);
        }
        return current();
    }

    /** The mechanism this JVM's spawns use: the property, or {@code "default"} when the JDK chooses. */
    public static String current() {
        return System.getProperty(PROPERTY, "default");
    }

    /** What to set, or null to leave the JDK's choice: the operator's wins, vfork where it applies. */
    static String choose(String osName, int jdkFeature, String operatorChoice) {
        if (operatorChoice != null) {
            return null;
        }
        boolean linux = osName.toLowerCase(Locale.ROOT).startsWith("linux");
        return linux && jdkFeature <= LAST_JDK_WITH_VFORK_SUPPORTED ? "VFORK" : null;
    }
}
