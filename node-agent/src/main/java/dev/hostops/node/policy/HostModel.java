package dev.hostops.node.policy;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The host as the policy sees it: operating system family, file system, the agent's own PATH and PATHEXT.
 * Executable resolution uses only these, never anything the command sends. Tests inject a Windows or Linux model
 * (for example a Jimfs file system); the agent uses {@link #current()}.
 */
public interface HostModel {

    /** Operating system families that resolve programs differently. */
    enum OsFamily { WINDOWS, MACOS, LINUX }

    /** Windows' default PATHEXT, used when the variable is unset or empty. */
    List<String> DEFAULT_PATHEXT = List.of(".COM", ".EXE", ".BAT", ".CMD");

    OsFamily os();

    FileSystem fileSystem();

    /** The directories of the agent's PATH, in order, as written (entries that are not absolute are skipped later). */
    List<String> pathEntries();

    /** Windows: the extensions of PATHEXT, in order, e.g. {@code .COM .EXE .BAT .CMD}; empty elsewhere. */
    List<String> pathExtensions();

    default boolean windows() {
        return os() == OsFamily.WINDOWS;
    }

    /**
     * File names that differ only in case name the same file: Windows and (by default) macOS. Globs and workdir
     * roots are then compared without case.
     */
    default boolean caseInsensitive() {
        return os() != OsFamily.LINUX;
    }

    /** The machine the agent runs on: default file system, this process's PATH and PATHEXT. */
    static HostModel current() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        OsFamily os = name.startsWith("windows") ? OsFamily.WINDOWS : name.startsWith("mac") ? OsFamily.MACOS : OsFamily.LINUX;
        String path = System.getenv("PATH");
        if (path == null && os == OsFamily.WINDOWS) {
            path = System.getenv("Path");
        }
        return of(os, FileSystems.getDefault(), path, System.getenv("PATHEXT"));
    }

    /**
     * A model from raw values. {@code path} uses {@code ;} as separator on Windows and {@code :} elsewhere;
     * {@code pathExt} is only read on Windows ({@code null} or blank means {@link #DEFAULT_PATHEXT}).
     */
    static HostModel of(OsFamily os, FileSystem fileSystem, String path, String pathExt) {
        Objects.requireNonNull(os, "os must not be null");
        Objects.requireNonNull(fileSystem, "fileSystem must not be null");
        String separator = os == OsFamily.WINDOWS ? ";" : ":";
        List<String> entries = path == null ? List.of()
                : Arrays.stream(path.split(separator, -1)).map(String::strip).map(s -> unquote(s, os))
                        .filter(s -> !s.isEmpty()).toList();
        List<String> extensions = List.of();
        if (os == OsFamily.WINDOWS) {
            extensions = pathExt == null || pathExt.isBlank() ? DEFAULT_PATHEXT
                    : Arrays.stream(pathExt.split(";")).map(String::strip).filter(s -> s.startsWith(".") && s.length() > 1)
                            .toList();
            if (extensions.isEmpty()) {
                extensions = DEFAULT_PATHEXT;
            }
        }
        return new SimpleHostModel(os, fileSystem, entries, extensions);
    }

    /** Windows accepts PATH entries in double quotes ({@code "C:\Program Files\x"}); the quotes are not part of the path. */
    private static String unquote(String entry, OsFamily os) {
        return os == OsFamily.WINDOWS ? entry.replace("\"", "").strip() : entry;
    }

    /** The plain value behind {@link #of}. */
    record SimpleHostModel(OsFamily os, FileSystem fileSystem, List<String> pathEntries, List<String> pathExtensions)
            implements HostModel {
        public SimpleHostModel {
            Objects.requireNonNull(os, "os must not be null");
            Objects.requireNonNull(fileSystem, "fileSystem must not be null");
            pathEntries = List.copyOf(pathEntries);
            pathExtensions = List.copyOf(pathExtensions);
        }
    }
}
