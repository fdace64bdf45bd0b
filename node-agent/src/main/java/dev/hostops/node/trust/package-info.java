/**
 * The node's trust boundary: which signed messages from the broker it accepts ({@link dev.hostops.node.trust.MessageTrust}).
 * The scheme is in docs/SIGNING.md; the keys come from the policy's {@code trustedKeys}.
 */
package dev.hostops.node.trust;
