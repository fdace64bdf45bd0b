package dev.hostops.dispatcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.contracts.message.Exec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FanOutRunTest {
    private static FanOutRun run(int nodes, Limit concurrency, Limit errors) {
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            targets.add("n" + i);
        }
        FanOutRequest req = new FanOutRequest(Exec.of("req", "fanout", List.of("true")), targets, null, concurrency, errors);
        return new FanOutRun("req", req, targets, "api:test");
    }

    @Test
    void dispatchesAtMostTheConcurrencyAndRefillsAsInvocationsEnd() {
        FanOutRun r = run(5, Limit.count(2), Limit.count(10));
        assertThat(r.next()).isEqualTo("n0");
        assertThat(r.next()).isEqualTo("n1");
        assertThat(r.next()).isNull();
        r.finished(true);
        assertThat(r.next()).isEqualTo("n2");
        assertThat(r.isDispatched("n2")).isTrue();
        assertThat(r.isDispatched("n3")).isFalse();
    }

    @Test
    void stopsOnceErrorsExceedTheBudget() {
        FanOutRun r = run(5, Limit.count(1), Limit.count(1));
        r.next();
        assertThat(r.finished(false)).isFalse();
        r.next();
        assertThat(r.finished(false)).as("second error exceeds a budget of 1").isTrue();
        assertThat(r.next()).isNull();
        assertThat(r.isStopped()).isTrue();
    }

    @Test
    void zeroErrorsStopsAtTheFirstFailure() {
        FanOutRun r = run(3, Limit.count(3), Limit.count(0));
        r.next();
        assertThat(r.finished(false)).isTrue();
    }

    @Test
    void percentagesRoundAsSsmDoes() {
        assertThat(Limit.parse("50%", "maxConcurrency").concurrencyFor(5)).isEqualTo(3);
        assertThat(Limit.parse("1%", "maxConcurrency").concurrencyFor(5)).isEqualTo(1);
        assertThat(Limit.parse("0", "maxConcurrency").concurrencyFor(5)).isEqualTo(1);
        assertThat(Limit.parse("20%", "maxErrors").errorsFor(9)).isEqualTo(1);
        assertThat(Limit.parse(" 7 ", "maxErrors").errorsFor(100)).isEqualTo(7);
        assertThatThrownBy(() -> Limit.parse("150%", "maxErrors")).hasMessageContaining("maxErrors");
        assertThatThrownBy(() -> Limit.parse("-1", "maxErrors")).hasMessageContaining("maxErrors");
        assertThatThrownBy(() -> Limit.parse("ten", "maxErrors")).hasMessageContaining("maxErrors");
    }

    @Test
    void selectorMatchesLabelsOsAndOnline() {
        var online = new dev.hostops.dispatcher.ledger.NodeView("a", dev.hostops.contracts.message.Presence.State.ONLINE, "s",
                null, "Windows", null, null, null, null, Map.of("site", "home", "role", "build"), null, null);
        var offline = new dev.hostops.dispatcher.ledger.NodeView("b", dev.hostops.contracts.message.Presence.State.OFFLINE, "s",
                null, "linux", null, null, null, null, Map.of("site", "home"), null, null);
        assertThat(new Selector(Map.of("site", "home"), null, false).matches(online)).isTrue();
        assertThat(new Selector(Map.of("site", "home"), null, false).matches(offline)).isTrue();
        assertThat(new Selector(Map.of("site", "home"), null, true).matches(offline)).isFalse();
        assertThat(new Selector(Map.of(), "windows", false).matches(online)).isTrue();
        assertThat(new Selector(Map.of(), "windows", false).matches(offline)).isFalse();
        assertThat(new Selector(Map.of("role", "web"), null, false).matches(online)).isFalse();
    }
}
