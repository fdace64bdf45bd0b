package dev.hostops.broker;

import java.nio.file.Path;

/**
 * TLS material for {@code mqtts://} and {@code amqps://}. Certificates are PEM files; the key is a
 * PKCS#8 PEM file. All may be null: then the JDK's default trust store is used and no client
 * certificate is sent.
 */
public record TlsOptions(Path caFile, Path certFile, Path keyFile) {
    public static TlsOptions systemDefault() {
        return new TlsOptions(null, null, null);
    }
}
