package dev.hostops.cli.client;

/**
 * How {@code hostops exec --wait} exits: the remote exit code when the program ran to its end,
 * otherwise a fixed code per outcome (chosen to match timeout(1) and shells where one exists).
 */
public final class ExitCodes {
    public static final int TIMED_OUT = 124;
    public static final int EXPIRED = 125;
    public static final int REJECTED = 126;
    public static final int LOST = 127;
    public static final int CANCELLED = 130;
    public static final int CLIENT_ERROR = 2;
    /** Not terminal when the wait ended (sysexits' EX_TEMPFAIL: try again later). */
    public static final int NOT_FINISHED = 75;

    private ExitCodes() {}

    public static int of(String status, int exitCode) {
        return switch (status) {
            case "SUCCEEDED" -> 0;
            case "FAILED" -> exitCode == 0 ? 1 : exitCode;
            case "TIMED_OUT" -> TIMED_OUT;
            case "EXPIRED" -> EXPIRED;
            case "REJECTED" -> REJECTED;
            case "LOST" -> LOST;
            case "CANCELLED" -> CANCELLED;
            default -> NOT_FINISHED; // QUEUED, DELIVERED, AWAITING_APPROVAL, RUNNING: the outcome is not known yet
        };
    }
}
