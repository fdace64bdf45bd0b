package dev.hostops.node;

/** The agent version, from the jar manifest when packaged, else a development marker. */
public final class Version {
    private Version() {}

    public static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
