package dev.hostops.broker.acl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes the broker access files for a plan into one directory:
 * {@code passwd} and {@code acl} (Mosquitto), {@code definitions.json} (RabbitMQ) and
 * {@code credentials} (the generated passwords, owner-only). Secrets are created owner-only
 * (0600) before anything is written into them.
 */
public final class AclFiles {
    public static final String PASSWD = "passwd";
    public static final String ACL = "acl";
    public static final String DEFINITIONS = "definitions.json";
    public static final String CREDENTIALS = "credentials";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AclFiles() {}

    /** One new random password per principal: every node, the dispatcher and the dashboard. */
    public static List<Credential> newCredentials(AclPlan plan) {
        List<Credential> out = new ArrayList<>();
        for (String node : plan.nodes()) {
            out.add(new Credential("node", node, AclPlan.amqpUser(node), PasswordHashes.randomPassword()));
        }
        out.add(new Credential("dispatcher", plan.dispatcher(), plan.dispatcher(), PasswordHashes.randomPassword()));
        out.add(new Credential("dashboard", plan.dashboard(), plan.dashboard(), PasswordHashes.randomPassword()));
        return List.copyOf(out);
    }

    /**
     * Writes the four files into {@code dir} (created if needed).
     *
     * @param overwrite replace existing files; otherwise an existing file is an error and nothing is written
     * @throws UncheckedIOException if a file exists (and {@code overwrite} is false) or cannot be written
     */
    public static List<Path> write(AclPlan plan, List<Credential> credentials, Path dir, boolean overwrite) {
        List<Path> files = List.of(dir.resolve(PASSWD), dir.resolve(ACL), dir.resolve(DEFINITIONS), dir.resolve(CREDENTIALS));
        try {
            Files.createDirectories(dir);
            if (!overwrite) {
                for (Path f : files) {
                    if (Files.exists(f)) {
                        throw new FileAlreadyExistsException(f + " exists; pass --force to replace it");
                    }
                }
            }
            writeSecret(files.get(0), mosquittoPasswd(credentials));
            Files.writeString(files.get(1), MosquittoAclFile.render(plan), StandardCharsets.UTF_8);
            writeSecret(files.get(2), RabbitDefinitions.render(plan, credentials));
            writeSecret(files.get(3), credentialsText(credentials));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Mosquitto password file lines, {@code user:$7$...}. */
    public static String mosquittoPasswd(List<Credential> credentials) {
        StringBuilder sb = new StringBuilder();
        credentials.forEach(c -> sb.append(c.mqttUser()).append(':').append(PasswordHashes.mosquitto(c.password())).append('\n'));
        return sb.toString();
    }

    /** The Mosquitto ACL file text. */
    public static String mosquittoAcl(AclPlan plan) {
        return MosquittoAclFile.render(plan);
    }

    /** The RabbitMQ definitions JSON text (fresh salts each call). */
    public static String rabbitDefinitions(AclPlan plan, List<Credential> credentials) {
        return RabbitDefinitions.render(plan, credentials);
    }

    /** {@code role mqtt-user amqp-user password} per line, after a comment header. */
    public static String credentialsText(List<Credential> credentials) {
        StringBuilder sb = new StringBuilder("# hostops broker credentials (generated; keep secret, mode 0600)\n"
                + "# role mqtt-user amqp-user password\n");
        credentials.forEach(c -> sb.append(c.role()).append(' ').append(c.mqttUser()).append(' ')
                .append(c.amqpUser()).append(' ').append(c.password()).append('\n'));
        return sb.toString();
    }

    private static void writeSecret(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file); // Windows: the directory's ACL decides; documented in SECURITY.md
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
