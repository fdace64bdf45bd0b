package dev.hostops.cli.keys;

import picocli.CommandLine.Command;

/** {@code hostops keys ...}: Ed25519 keys for signed messages (docs/SIGNING.md). */
@Command(name = "keys", description = "Make signing keys and sign messages for nodes that require signatures.",
        mixinStandardHelpOptions = true, subcommands = {KeysGenerateCommand.class, KeysSignCommand.class})
public final class KeysCommand {}
