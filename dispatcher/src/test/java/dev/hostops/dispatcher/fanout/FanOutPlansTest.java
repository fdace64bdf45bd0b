package dev.hostops.dispatcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans on disk: what a restarted dispatcher needs to go on, and to know a retry of the request. */
class FanOutPlansTest {
    @TempDir
    Path dir;

    private final Exec template = Exec.of("req-1", "fanout", List.of("git", "pull")).withExpiresAt(Instant.parse("2026-12-07T20:00:00Z"));

    @Test
    void aPlanComesBackAsItWasSavedWithItsSelector() {
        FanOutPlans plans = new FanOutPlans(dir, MessageCodec.standard());
        Selector selector = new Selector(Map.of("site", "home"), "windows", true);
        FanOutPlans.Plan withSelector = new FanOutPlans.Plan("req-1", "api:tier2", List.of("web-1", "web-2"), selector,
                Limit.count(2), new Limit(10, true), template);
        FanOutPlans.Plan listed = new FanOutPlans.Plan("req-2", "api:tier2", List.of("web-3"), null,
                Limit.count(50), Limit.count(0), template.forNode("req-2", "fanout"));
        plans.save(withSelector);
        plans.save(listed);
        assertThat(new FanOutPlans(dir, MessageCodec.standard()).all()).containsExactlyInAnyOrder(withSelector, listed);
        plans.delete("req-1");
        assertThat(plans.all()).containsExactly(listed);
    }

    @Test
    void aPlanWrittenBeforeSelectorsWereKeptHasNone() throws IOException {
        FanOutPlans plans = new FanOutPlans(dir, MessageCodec.standard());
        plans.save(new FanOutPlans.Plan("req-1", "api:tier2", List.of("web-1"), new Selector(Map.of(), "linux", false),
                Limit.count(1), Limit.count(0), template));
        try (var files = Files.list(dir)) {
            Path file = files.findFirst().orElseThrow();
            var json = (com.fasterxml.jackson.databind.node.ObjectNode) MessageCodec.standard().mapper().readTree(file.toFile());
            json.remove("selector");
            Files.write(file, MessageCodec.standard().mapper().writeValueAsBytes(json));
        }
        assertThat(plans.all()).singleElement().satisfies(p -> {
            assertThat(p.selector()).isNull();
            assertThat(p.nodes()).containsExactly("web-1");
        });
    }
}
