package dev.hostops.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hostops.broker.testing.MosquittoProcess;
import dev.hostops.dispatcher.testing.Api;
import dev.hostops.dispatcher.testing.Harness;
import dev.hostops.dispatcher.testing.SimulatedNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same dispatcher on PostgreSQL (127.0.0.1:5432, user postgres), in a database of its own. */
class PostgresLedgerTest {
    private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

    @TempDir
    Path dir;

    @Test
    void submitObserveAndRestartOnPostgres() throws Exception {
        String db = "hostops_dispatcher_test_" + UUID.randomUUID().toString().replace("-", "");
        try {
            admin("CREATE DATABASE " + db);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL is not reachable on 127.0.0.1:5432: " + e.getMessage());
        }
        try (MosquittoProcess mosquitto = MosquittoProcess.start(dir.resolve("broker"))) {
            Files.createDirectories(dir.resolve("d"));
            Path yaml = dir.resolve("d/dispatcher.yaml");
            Files.writeString(yaml, "db: " + PG + db + "\ndbUser: postgres\n");
            String node = "pg-" + UUID.randomUUID().toString().substring(0, 8);
            try (Harness h = new Harness(dir.resolve("d"), mosquitto.url(), Duration.ofSeconds(60), yaml);
                 SimulatedNode sim = SimulatedNode.start(node, mosquitto.url(), SimulatedNode.Mode.SUCCEED)) {
                assertThat(h.dispatcher().config().dbUrl()).startsWith("jdbc:postgresql:");
                Api.Reply r = h.api().post("/v1/commands?wait=20", Harness.SUBMIT, "{\"node\":\"" + node + "\",\"argv\":[\"true\"]}");
                assertThat(r.body().path("status").asText()).as(r.raw()).isEqualTo("SUCCEEDED");
                String id = r.body().path("id").asText();
                h.restart();
                await().atMost(Duration.ofSeconds(10)).until(() -> h.api().get("/v1/commands/" + id, Harness.READ).status() == 200);
                assertThat(h.api().get("/v1/commands/" + id, Harness.READ).body().path("status").asText()).isEqualTo("SUCCEEDED");
                assertThat(h.api().get("/readyz", null).status()).isEqualTo(200);
            }
        } finally {
            admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", null); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
