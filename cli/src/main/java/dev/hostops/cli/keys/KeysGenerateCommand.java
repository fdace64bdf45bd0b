package dev.hostops.cli.keys;

import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.contracts.sign.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hostops keys generate --out DIR --name NAME}: writes NAME.key (PKCS#8 PEM, owner-only) and
 * NAME.pub (PEM), prints the key id and the {@code trustedKeys} entry for a node's policy.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Make an Ed25519 key pair: NAME.key (private, mode 0600) and NAME.pub (public), in openssl's PEM formats.",
        footer = {"", "Example:", "  hostops keys generate --out /etc/hostops --name dispatcher",
                "  # dispatcher.yaml:  signingKey: /etc/hostops/dispatcher.key",
                "  # node policy:      requireSignature: true, and the printed trustedKeys entry"})
public final class KeysGenerateCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = ".", description = "Directory for the two files (default: the current one).")
    Path out;

    @Option(names = "--name", paramLabel = "NAME", required = true, description = "File name and the key's name in policies, e.g. dispatcher.")
    String name;

    @Option(names = "--can-approve", description = "Print the policy entry with canApprove: true (a key for approvers).")
    boolean canApprove;

    @Override
    public Integer call() throws IOException {
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("--name must match [A-Za-z0-9_.-]{1,64}, not '" + name + "'");
        }
        Files.createDirectories(out);
        Path priv = out.resolve(name + ".key");
        Path pub = out.resolve(name + ".pub");
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p + " exists; choose another --name or remove it first (keys are never overwritten)");
            }
        }
        KeyPair pair = Ed25519Keys.generate();
        writePrivate(priv, Ed25519Keys.toPem(pair.getPrivate()));
        Files.writeString(pub, Ed25519Keys.toPem(pair.getPublic()), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        String id = SigningKey.of(pair.getPrivate()).keyId();
        System.out.println("private key: " + priv + "   (keep it secret; only the signer needs it)");
        System.out.println("public key:  " + pub);
        System.out.println("key id:      " + id);
        System.out.println();
        System.out.println("# for the node policy (copy " + pub.getFileName() + " next to it):");
        System.out.println("requireSignature: true");
        System.out.println("trustedKeys:");
        System.out.println("  - name: " + name);
        System.out.println("    id: " + id);
        System.out.println("    file: " + pub.getFileName());
        System.out.println("    canSubmit: " + !canApprove);
        System.out.println("    canApprove: " + canApprove);
        return 0;
    }

    /** Created owner-only from the start, so the key is never readable by others, not even briefly. */
    private static void writePrivate(Path file, String pem) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            // Windows: the file inherits the directory's ACL; keep the key in a directory only its owner can read.
            Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
        }
    }
}
