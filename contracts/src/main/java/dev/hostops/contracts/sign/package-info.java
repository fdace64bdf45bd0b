/**
 * Message signatures (the trust boundary): RFC 8785 canonical JSON, Ed25519 keys in openssl's PEM
 * files, signing ({@link dev.hostops.contracts.sign.MessageSigner}) and checking
 * ({@link dev.hostops.contracts.sign.SignatureVerifier}). The scheme is in docs/SIGNING.md.
 */
package dev.hostops.contracts.sign;
