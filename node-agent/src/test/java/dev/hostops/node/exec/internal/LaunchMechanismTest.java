package dev.hostops.node.exec.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaunchMechanismTest {

    @Test
    void vforkOnLinuxUpToJdk21() {
        assertThat(LaunchMechanism.choose("Linux", 17, null)).isEqualTo("VFORK");
        assertThat(LaunchMechanism.choose("Linux", 21, null)).isEqualTo("VFORK");
    }

    @Test
    void theJdksChoiceWhereVforkIsMissingOrDeprecated() {
        assertThat(LaunchMechanism.choose("Linux", 23, null)).isNull();
        assertThat(LaunchMechanism.choose("Mac OS X", 17, null)).isNull();
        assertThat(LaunchMechanism.choose("Windows 11", 17, null)).isNull();
    }

    @Test
    void theOperatorsChoiceStands() {
        assertThat(LaunchMechanism.choose("Linux", 17, "POSIX_SPAWN")).isNull();
    }

    /** This JVM's spawns (the tests' agents among them) use what the agent chose, and programs still run. */
    @Test
    void theChosenMechanismStartsPrograms() throws Exception {
        String mechanism = LaunchMechanism.preferFastest();
        if (System.getProperty("os.name").startsWith("Linux") && Runtime.version().feature() <= 21) {
            assertThat(mechanism).isIn("VFORK", System.getProperty(LaunchMechanism.PROPERTY));
        }
        Process p = new ProcessBuilder("/bin/sh", "-c", "exit 7").start();
        assertThat(p.waitFor()).isEqualTo(7);
    }
}
