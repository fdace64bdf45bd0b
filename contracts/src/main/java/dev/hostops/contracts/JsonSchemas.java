package dev.hostops.contracts;

import dev.hostops.contracts.message.MessageType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the published JSON Schema files (draft 2020-12) live in this jar, so that a service can
 * hand them to non-Java clients (e.g. over HTTP) without copying them. Their {@code $id}s are
 * {@link #ID_BASE} plus the file name and refer to each other relatively.
 */
public final class JsonSchemas {
    /** The classpath directory of the schema files. */
    public static final String RESOURCE_DIR = "dev/hostops/contracts/schema/";
    /** The prefix of every schema's {@code $id}. */
    public static final String ID_BASE = "https://hostops.dev/schema/v1/";
    public static final String COMMON = "common.schema.json";
    /** Accepts any message; picks the type's schema by {@code type}. */
    public static final String ANY_MESSAGE = "message.schema.json";

    private JsonSchemas() {}

    /** The schema file of one message type, e.g. {@code exec.schema.json}. */
    public static String fileName(MessageType type) {
        return type.wire() + ".schema.json";
    }

    /** Every schema file name. */
    public static List<String> fileNames() {
        List<String> names = new ArrayList<>(List.of(COMMON, ANY_MESSAGE));
        for (MessageType t : MessageType.values()) {
            names.add(fileName(t));
        }
        return List.copyOf(names);
    }

    /**
     * Reads one schema file.
     *
     * @throws IllegalArgumentException if there is no such schema file
     */
    public static byte[] read(String fileName) {
        if (!fileNames().contains(fileName)) {
            throw new IllegalArgumentException("no schema file '" + fileName + "'; known: " + fileNames());
        }
        try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + fileName)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + RESOURCE_DIR + fileName + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
