package dev.hostops.dispatcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.contracts.message.Presence;
import dev.hostops.dispatcher.ledger.NodeView;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SelectorTest {
    private static NodeView node(String os) {
        return new NodeView("n", Presence.State.ONLINE, null, "host", os, "amd64", "0.1.0", null, null, Map.of("site", "home"), null, null);
    }

    private static boolean osMatches(String selectorOs, String nodeOs) {
        return new Selector(Map.of(), selectorOs, false).matches(node(nodeOs));
    }

    /** From a user walkthrough: agents announce Java's os.name ("Windows 11"), so os "windows" matched no Windows node. */
    @Test
    void aFamilyNameMatchesWhatAgentsOfThatFamilyAnnounce() {
        assertThat(osMatches("windows", "Windows 11")).isTrue();
        assertThat(osMatches("Windows", "Windows Server 2022")).isTrue();
        assertThat(osMatches("macos", "Mac OS X")).isTrue();
        assertThat(osMatches("linux", "Linux")).isTrue();
        assertThat(osMatches("LINUX", "Linux")).isTrue();
        assertThat(osMatches("windows", "Linux")).isFalse();
        assertThat(osMatches("linux", "Mac OS X")).isFalse();
    }

    @Test
    void anExactNameMatchesThatNameOnly() {
        assertThat(osMatches("Windows 11", "windows 11")).isTrue();
        assertThat(osMatches("Windows 11", "Windows 10")).isFalse();
        assertThat(osMatches("freebsd", "FreeBSD")).isTrue();
        assertThat(osMatches("windows", null)).isFalse();
    }
}
