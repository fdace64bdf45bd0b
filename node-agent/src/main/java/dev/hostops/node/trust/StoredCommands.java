package dev.hostops.node.trust;

import java.util.Optional;

/** The exec JSON the node stored for a command id it has seen (the node's dedupe store). */
@FunctionalInterface
public interface StoredCommands {
    Optional<byte[]> execJson(String commandId) throws Exception;
}
