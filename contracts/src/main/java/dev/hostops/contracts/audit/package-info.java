/**
 * The append-only, hash-chained audit log shared by the node agent and the dispatcher.
 *
 * <p>Each line of the file is one JSON object:
 * {@code {"seq":n,"at":"<instant>","prev":"sha256:<hex>","event":"<name>", ...fields, "hash":"sha256:<hex>"}}.
 * {@code hash} is the SHA-256 of the line's UTF-8 bytes with the final {@code ,"hash":"..."} member
 * removed (so the hashed text is the line up to that member, closed with {@code }}); {@code prev} is
 * the previous line's {@code hash} (64 zeros for the first line). Changing, removing, reordering or
 * cutting a line therefore breaks the chain, and {@link dev.hostops.contracts.audit.AuditVerifier}
 * names the first line where it breaks. Removing lines from the end is only noticed against a
 * remembered last {@code seq}/{@code hash} (the verifier reports both).
 */
package dev.hostops.contracts.audit;
