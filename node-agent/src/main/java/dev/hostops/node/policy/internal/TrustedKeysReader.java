package dev.hostops.node.policy.internal;

import dev.hostops.contracts.sign.Ed25519Keys;
import dev.hostops.node.policy.PolicyException;
import dev.hostops.node.policy.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns the {@code trustedKeys} entries into keys: each names one public key, by file or inline PEM. */
final class TrustedKeysReader {
    private TrustedKeysReader() {}

    static List<TrustedKey> read(List<PolicyDocument.TrustedKeyEntry> entries, Path baseDir, String source) throws PolicyException {
        List<TrustedKey> keys = new ArrayList<>();
        if (entries == null) {
            return keys;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            PolicyDocument.TrustedKeyEntry e = entries.get(i);
            String at = source + ": key 'trustedKeys[" + i + "]";
            if (e == null || e.name == null || e.name.isBlank()) {
                throw new PolicyException(at + ".name' is required (who holds the key)");
            }
            if ((e.file == null) == (e.publicKey == null)) {
                throw new PolicyException(at + "' needs exactly one of 'file' (a PEM public key file) and 'publicKey' (the PEM text)");
            }
            PublicKey key = parse(e, baseDir, at);
            String id = Ed25519Keys.keyId(key);
            if (e.id != null && !e.id.equalsIgnoreCase(id)) {
                throw new PolicyException(at + ".id' is " + e.id + ", but the key's id is " + id + ": wrong file or wrong id");
            }
            if (!ids.add(id)) {
                throw new PolicyException(at + "': key " + id + " is listed twice");
            }
            boolean canSubmit = e.canSubmit == null || e.canSubmit;
            boolean canApprove = e.canApprove != null && e.canApprove;
            keys.add(new TrustedKey(e.name, id, key, canSubmit, canApprove));
        }
        return keys;
    }

    private static PublicKey parse(PolicyDocument.TrustedKeyEntry e, Path baseDir, String at) throws PolicyException {
        String pem = e.publicKey;
        if (e.file != null) {
            Path p = baseDir == null ? Path.of(e.file) : baseDir.getFileSystem().getPath(e.file);
            if (!p.isAbsolute()) {
                if (baseDir == null) {
                    throw new PolicyException(at + ".file' is relative, but there is no policy directory to resolve it against");
                }
                p = baseDir.resolve(p);
            }
            try {
                pem = Files.readString(p, StandardCharsets.US_ASCII);
            } catch (IOException ex) {
                throw new PolicyException(at + ".file': cannot read " + p + ": " + ex, ex);
            }
        }
        try {
            return Ed25519Keys.readPublic(pem);
        } catch (IllegalArgumentException ex) {
            throw new PolicyException(at + "': " + ex.getMessage(), ex);
        }
    }
}
