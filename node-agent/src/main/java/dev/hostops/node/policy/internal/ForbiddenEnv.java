package dev.hostops.node.policy.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Environment variables a command may not set: they choose which program runs (PATH, PATHEXT, COMSPEC), load code
 * into it (LD_PRELOAD, DYLD_*, NODE_OPTIONS, JAVA_TOOL_OPTIONS, PYTHONPATH, ...) or make it run another program
 * (GIT_SSH_COMMAND, EDITOR, PAGER, BASH_ENV, ...). Any of them would let an allowed program do what the allowlist
 * does not allow. The list is documented in docs/POLICY.md; keep the two in step.
 */
public final class ForbiddenEnv {
    /** Exact names. */
    public static final List<String> NAMES = List.of(
            "PATH", "PATHEXT", "COMSPEC", "PSModulePath", "PSExecutionPolicyPreference",
            "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "IFS", "CDPATH", "PROMPT_COMMAND", "ZDOTDIR",
            "NODE_OPTIONS", "NODE_PATH",
            "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "PYTHONUSERBASE",
            "PERL5LIB", "PERL5OPT", "PERLLIB", "PERL5DB",
            "RUBYOPT", "RUBYLIB",
            "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "CLASSPATH", "JAVA_OPTIONS",
            "GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_EDITOR",
            "GIT_SEQUENCE_EDITOR", "GIT_PAGER", "GIT_EXTERNAL_DIFF", "GIT_PROXY_COMMAND", "GIT_TEMPLATE_DIR",
            "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            "EDITOR", "VISUAL", "PAGER", "LESSOPEN", "LESSCLOSE",
            "DOCKER_CONFIG", "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CERT_PATH", "COMPOSE_FILE",
            "__COMPAT_LAYER", "SystemRoot", "windir");

    /** Prefixes: every variable whose name starts with one of these. */
    public static final List<String> PREFIXES = List.of("LD_", "DYLD_", "GIT_CONFIG", "BASH_FUNC_");

    private ForbiddenEnv() {}

    /**
     * Why this name may not be set, or empty. On Windows names are compared without case ({@code Path} is
     * {@code PATH}); elsewhere exactly, as the OS does.
     */
    public static Optional<String> reason(String name, boolean caseInsensitive) {
        String n = caseInsensitive ? name.toUpperCase(Locale.ROOT) : name;
        for (String forbidden : NAMES) {
            String f = caseInsensitive ? forbidden.toUpperCase(Locale.ROOT) : forbidden;
            if (n.equals(f)) {
                return Optional.of("The command may not set the environment variable " + name
                        + ": it changes which program runs or what code it loads.");
            }
        }
        for (String prefix : PREFIXES) {
            if (n.startsWith(prefix)) {
                return Optional.of("The command may not set the environment variable " + name + " (no " + prefix
                        + "* variables): it changes which program runs or what code it loads.");
            }
        }
        return Optional.empty();
    }
}
