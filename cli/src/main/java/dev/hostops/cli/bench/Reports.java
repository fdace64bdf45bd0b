package dev.hostops.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Prints a benchmark report as indented JSON on stdout (progress goes to stderr). */
final class Reports {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    static void print(Object report) throws Exception {
        System.out.println(JSON.writeValueAsString(report));
    }

    static void progress(String line) {
        System.err.println("bench: " + line);
    }
}
