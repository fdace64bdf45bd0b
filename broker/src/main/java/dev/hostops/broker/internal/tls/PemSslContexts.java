package dev.hostops.broker.internal.tls;

import dev.hostops.broker.TlsOptions;
import dev.hostops.broker.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds an {@link SSLContext} from PEM files, so operators can use the certificates their broker
 * already has (Mosquitto and RabbitMQ are configured with PEM) instead of converting them to a
 * Java key store. Shared by the MQTT and AMQP transports.
 */
public final class PemSslContexts {
    private static final char[] NO_PASSWORD = new char[0];
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

    private PemSslContexts() {}

    /**
     * @param tls the PEM files; null or all-null fields give the JDK's default trust and no client certificate
     * @throws TransportException naming the file that could not be read or parsed
     */
    public static SSLContext create(TlsOptions tls) {
        Managers m = managers(tls);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(m.keys() == null ? null : m.keys().getKeyManagers(),
                    m.trust() == null ? null : m.trust().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new TransportException("could not set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * The trust and key managers of the PEM files, for clients that take factories rather than an
     * {@link SSLContext} (the HiveMQ MQTT client).
     *
     * @param trust null for the JDK's default trust store
     * @param keys  null when no client certificate is sent
     */
    public record Managers(TrustManagerFactory trust, KeyManagerFactory keys) {}

    /**
     * @param tls the PEM files; null or all-null fields give null managers (JDK defaults, no client certificate)
     * @throws TransportException naming the file that could not be read or parsed
     */
    public static Managers managers(TlsOptions tls) {
        TlsOptions t = tls == null ? TlsOptions.systemDefault() : tls;
        if ((t.certFile() == null) != (t.keyFile() == null)) {
            throw new TransportException("TLS client authentication needs both a certificate file and a key file");
        }
        try {
            return new Managers(t.caFile() == null ? null : trustManagers(t.caFile()),
                    t.certFile() == null ? null : keyManagers(t.certFile(), t.keyFile()));
        } catch (GeneralSecurityException e) {
            throw new TransportException("could not set up TLS: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(Path caFile) throws GeneralSecurityException {
        KeyStore store = emptyStore();
        int i = 0;
        for (Certificate cert : certificates(caFile)) {
            store.setCertificateEntry("ca-" + i++, cert);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    private static KeyManagerFactory keyManagers(Path certFile, Path keyFile) throws GeneralSecurityException {
        List<Certificate> chain = certificates(certFile);
        KeyStore store = emptyStore();
        store.setKeyEntry("client", privateKey(keyFile), NO_PASSWORD, chain.toArray(new Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, NO_PASSWORD);
        return factory;
    }

    private static List<Certificate> certificates(Path file) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new TransportException("no PEM certificate found in " + file);
            }
            return new ArrayList<>(certs);
        } catch (IOException e) {
            throw new TransportException("cannot read certificate file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}); the algorithm is found by trying the usual ones. */
    static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new TransportException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new TransportException("key file " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key");
        }
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body));
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // the PKCS#8 header names the algorithm, but the JDK only parses it per KeyFactory
            }
        }
        throw new TransportException("key file " + file + " holds a key of an unsupported algorithm (RSA, EC, Ed25519 are supported)");
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return store;
    }
}
