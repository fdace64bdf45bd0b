package dev.hostops.node.policy.internal;

import dev.hostops.contracts.ErrorCode;
import dev.hostops.node.policy.HostModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the program and the working directory the way the host would, with the host's PATH and PATHEXT only, and
 * returns their real paths (symbolic links and junctions followed), which is what the policy's globs judge.
 *
 * <ul>
 *   <li>A bare name ({@code git}) is looked up in the agent's PATH entries that are absolute paths, in order; never
 *       in the current directory or the workdir.</li>
 *   <li>A path with a separator is taken as it is if absolute, else resolved against the workdir.</li>
 *   <li>Windows: a name whose extension is in PATHEXT is tried as it is; otherwise each PATHEXT extension is
 *       appended in order ({@code git} finds {@code git.exe}). Names compare without case.</li>
 *   <li>Elsewhere the file must be executable.</li>
 * </ul>
 */
public final class Resolver {
    private final HostModel host;

    public Resolver(HostModel host) {
        this.host = host;
    }

    /** The real path of an existing working directory; null stays null (the agent's default applies). */
    public Path workdir(String workdir) throws Refusal {
        if (workdir == null) {
            return null;
        }
        if (host.windows()) {
            var problem = WindowsPathRules.problem(workdir, "workdir");
            if (problem.isPresent()) {
                throw new Refusal(ErrorCode.INVALID_FIELD, problem.get(), "workdir");
            }
        }
        Path path = path(workdir, "workdir", ErrorCode.INVALID_FIELD);
        if (!path.isAbsolute()) {
            throw new Refusal(ErrorCode.INVALID_FIELD, "The working directory '" + workdir + "' is not an absolute path.", "workdir");
        }
        if (!Files.isDirectory(path)) {
            throw new Refusal(ErrorCode.WORKDIR_NOT_FOUND, Files.exists(path)
                    ? "The working directory " + workdir + " is not a directory on this node."
                    : "The working directory " + workdir + " does not exist on this node.", "workdir");
        }
        try {
            return checkedReal(path.toRealPath(), "workdir " + workdir);
        } catch (IOException e) {
            throw new Refusal(ErrorCode.WORKDIR_NOT_FOUND, "The working directory " + workdir + " cannot be opened: " + e, "workdir");
        }
    }

    /** The real path of the program argv[0] names. */
    public Path executable(String argv0, Path workdir) throws Refusal {
        if (host.windows()) {
            var problem = WindowsPathRules.problem(argv0, "argv[0]");
            if (problem.isPresent()) {
                throw new Refusal(ErrorCode.INVALID_FIELD, problem.get(), "argv[0]");
            }
        }
        boolean hasSeparator = argv0.indexOf('/') >= 0 || (host.windows() && argv0.indexOf('\\') >= 0);
        Path given = path(argv0, "argv[0]", ErrorCode.EXECUTABLE_NOT_FOUND);
        List<Path> candidates = new ArrayList<>();
        String where;
        if (given.isAbsolute()) {
            candidates.addAll(withExtensions(given));
            where = "";
        } else if (hasSeparator) {
            if (workdir == null) {
                throw new Refusal(ErrorCode.EXECUTABLE_NOT_FOUND,
                        "The program path '" + argv0 + "' is relative, and the command has no workdir to resolve it against.", "argv[0]");
            }
            candidates.addAll(withExtensions(workdir.resolve(given).normalize()));
            where = " (relative to the workdir " + workdir + ")";
        } else {
            for (String entry : host.pathEntries()) {
                Path dir;
                try {
                    dir = host.fileSystem().getPath(entry);
                } catch (InvalidPathException e) {
                    continue;
                }
                // PATH is the host's own, so its spelling is trusted; the real path of what it finds is still checked.
                if (dir.isAbsolute()) {
                    candidates.addAll(withExtensions(dir.resolve(argv0)));
                }
            }
            where = " in the node's PATH" + (host.windows() ? " with PATHEXT " + String.join(";", host.pathExtensions()) : "");
        }
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate) && (host.windows() || Files.isExecutable(candidate))) {
                try {
                    return checkedReal(candidate.toRealPath(), "argv[0] " + argv0);
                } catch (IOException e) {
                    // vanished or unreadable between the two calls: try the next candidate
                }
            }
        }
        throw new Refusal(ErrorCode.EXECUTABLE_NOT_FOUND,
                "The program '" + argv0 + "' was not found" + where + " on this node.", "argv[0]");
    }

    private List<Path> withExtensions(Path path) {
        if (!host.windows()) {
            return List.of(path);
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String ext : host.pathExtensions()) {
            if (name.endsWith(ext.toLowerCase(Locale.ROOT))) {
                return List.of(path);
            }
        }
        List<Path> out = new ArrayList<>();
        for (String ext : host.pathExtensions()) {
            out.add(path.resolveSibling(path.getFileName() + ext));
        }
        return out;
    }

    private Path path(String value, String what, ErrorCode code) throws Refusal {
        try {
            return host.fileSystem().getPath(value);
        } catch (InvalidPathException e) {
            throw new Refusal(code, what + " '" + value + "' is not a valid path on this node: " + e.getReason(), what);
        }
    }

    /** A link may point at a spelling the rules refuse (UNC share, device): judge the target too. */
    private Path checkedReal(Path real, String what) throws Refusal {
        if (host.windows()) {
            var problem = WindowsPathRules.problem(real.toString(), "the real path of " + what + ",");
            if (problem.isPresent()) {
                throw new Refusal(ErrorCode.INVALID_FIELD, problem.get(), "realpath");
            }
        }
        return real;
    }
}
