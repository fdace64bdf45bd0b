package dev.hostops.dispatcher;

import dev.hostops.contracts.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.broker.BrokerUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatcherConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreNamedAndValid() {
        DispatcherConfig c = DispatcherConfig.defaults();
        assertThat(c.broker().toString()).isEqualTo("mqtt://127.0.0.1:1883");
        assertThat(c.httpHost()).isEqualTo(DispatcherConfig.DEFAULT_HTTP_HOST);
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.dbUrl()).isEqualTo("jdbc:sqlite:" + DispatcherConfig.DEFAULT_DATA_DIR.resolve("dispatcher.db"));
        assertThat(c.lostGrace()).isEqualTo(DispatcherConfig.DEFAULT_LOST_GRACE);
        assertThat(c.retention()).isEqualTo(Duration.ofDays(30));
        assertThat(c.tokensFile()).isNull();
    }

    @Test
    void yamlThenEnvThenExplicitEachOverrideTheOneBefore() throws Exception {
        Path yaml = dir.resolve("d.yaml");
        Files.writeString(yaml, """
                broker: mqtt://broker.example:1884
                http: 0.0.0.0:9000
                dataDir: /var/lib/hostops
                lostGrace: 2m
                defaultExpiry: 30s
                retention: 90d
                """);
        DispatcherConfig c = DispatcherConfig.builder()
                .yaml(yaml)
                .env(Map.of("HOSTOPS_LOST_GRACE", "90s", "HOSTOPS_TOKENS", "/etc/hostops/tokens.yaml", "OTHER", "x"))
                .http("127.0.0.1:0")
                .build();
        assertThat(c.broker().host()).isEqualTo("broker.example");
        assertThat(c.broker().port()).isEqualTo(1884);
        assertThat(c.httpHost()).isEqualTo("127.0.0.1");
        assertThat(c.httpPort()).isZero();
        assertThat(c.dbUrl()).isEqualTo("jdbc:sqlite:/var/lib/hostops/dispatcher.db");
        assertThat(c.lostGrace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.defaultExpiry()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(c.tokensFile()).isEqualTo(Path.of("/etc/hostops/tokens.yaml"));
    }

    @Test
    void relativePathsInAConfigFileAreRelativeToThatFile() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Path yaml = etc.resolve("dispatcher.yaml");
        Files.writeString(yaml, """
                tokens: tokens.yaml
                dataDir: ../data
                audit: /var/log/hostops/audit.jsonl
                """);
        DispatcherConfig c = DispatcherConfig.builder().yaml(yaml).build();
        assertThat(c.tokensFile()).isEqualTo(etc.resolve("tokens.yaml").toAbsolutePath());
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath().normalize());
        assertThat(c.audit()).isEqualTo(Path.of("/var/log/hostops/audit.jsonl"));
        DispatcherConfig flag = DispatcherConfig.builder().yaml(yaml).env(Map.of("HOSTOPS_TOKENS", "mine.yaml")).build();
        assertThat(flag.tokensFile()).as("a variable stays as typed").isEqualTo(Path.of("mine.yaml"));
    }

    @Test
    void badValuesNameTheirField() throws Exception {
        assertThatThrownBy(() -> DispatcherConfig.builder().http("localhost").build())
                .hasMessageContaining("http must be HOST:PORT");
        assertThatThrownBy(() -> DispatcherConfig.builder().set(DispatcherConfig.Key.LOST_GRACE, "soon").build())
                .hasMessageContaining("lostGrace");
        assertThatThrownBy(() -> DispatcherConfig.builder().env(Map.of("HOSTOPS_RETENTION", "0s")).build())
                .hasMessageContaining("retention must be a positive duration");
        assertThatThrownBy(() -> DispatcherConfig.builder().db("jdbc:mysql://x/y?password=secret").build())
                .hasMessageContaining("db must be")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> DispatcherConfig.builder().broker("http://x").build())
                .hasMessageContaining("scheme");
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "brokr: mqtt://x\n");
        assertThatThrownBy(() -> DispatcherConfig.builder().yaml(yaml))
                .hasMessageContaining("unknown setting 'brokr'");
    }

    @Test
    void aMissingConfigFileIsNamedWhole() {
        Path missing = Path.of("no-such-dispatcher-config.yaml");
        assertThatThrownBy(() -> DispatcherConfig.builder().yaml(missing))
                .hasMessage("the config file " + missing.toAbsolutePath() + " does not exist");
    }

    /** From the docs walkthrough: the start line showed retention=PT720H where the docs say 30d. */
    @Test
    void toStringWritesDurationsAsTheDocsDo() {
        assertThat(DispatcherConfig.defaults().toString()).contains("defaultExpiry=10m", "lostGrace=1m", "expiryGrace=30s",
                "sweepInterval=1s", "maxWait=1h", "retention=30d").doesNotContain("PT");
    }

    @Test
    void toStringHidesDatabasePassword() {
        DispatcherConfig c = DispatcherConfig.builder().db("jdbc:postgresql://db:5432/hostops?user=h&password=hunter2").build();
        assertThat(c.toString()).doesNotContain("hunter2").contains("password=***");
        DispatcherConfig d = DispatcherConfig.builder().env(java.util.Map.of("HOSTOPS_DB_PASSWORD", "s3cret", "HOSTOPS_DB_USER", "hostops")).build();
        assertThat(d.dbPassword()).isEqualTo("s3cret");
        assertThat(d.dbUser()).isEqualTo("hostops");
        assertThat(d.toString()).doesNotContain("s3cret");
    }

    @Test
    void brokerUrlKeepsItsCredentials() {
        BrokerUrl url = BrokerUrl.parse("amqp://hostops:p%40ss%20word@rabbit:5672/prod");
        DispatcherConfig c = DispatcherConfig.builder().broker(url).build();
        assertThat(c.broker()).isEqualTo(url);
        assertThat(c.broker().password()).isEqualTo("p@ss word");
    }

    @Test
    void durationsReadCommonForms() {
        assertThat(Durations.parse("500ms", "x")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("15", "x")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Durations.parse("PT2H", "x")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.format(Duration.ofMinutes(10))).isEqualTo("10m");
    }
}
