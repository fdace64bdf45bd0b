package dev.hostops.cli.node.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hostops.node.NodeJvmOptions;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The service definitions, read back the way their consumers read them: WinSW's XML through an XML
 * parser (paths with spaces and an ampersand survive), the systemd unit's ExecStart split as
 * systemd splits it (double quotes group, backslash escapes).
 */
class ServiceInstallersTest {
    private static final ServiceSpec WINDOWS = new ServiceSpec("hostops-node",
            Path.of("C:\\Program Files\\Eclipse Adoptium\\jdk-17\\bin\\java.exe"),
            Path.of("C:\\hostops\\cli\\target\\hostops-node.jar"),
            Path.of("C:\\ProgramData\\R&D hostops\\node.yaml"), Path.of("C:\\ProgramData\\R&D hostops"));

    @Test
    void winswRunsJavaWithTheServiceOptionsAndQuotesPathsWithSpaces() throws Exception {
        WinswInstaller installer = new WinswInstaller(Path.of("C:\\Downloads\\WinSW-x64.exe"), Path.of("C:\\ProgramData\\hostops"));
        ServiceInstaller.Plan plan = installer.plan(WINDOWS);

        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(plan.files().get(0).content().getBytes(StandardCharsets.UTF_8)));
        assertThat(text(xml, "id")).isEqualTo("hostops-node");
        assertThat(text(xml, "executable")).isEqualTo("C:\\Program Files\\Eclipse Adoptium\\jdk-17\\bin\\java.exe");
        assertThat(text(xml, "arguments")).isEqualTo(NodeJvmOptions.line()
                + " -jar C:\\hostops\\cli\\target\\hostops-node.jar node run --config \"C:\\ProgramData\\R&D hostops\\node.yaml\"");
        assertThat(text(xml, "workingdirectory")).isEqualTo("C:\\ProgramData\\R&D hostops");
        assertThat(plan.files().get(0).path().toString()).endsWith("hostops-node.xml");
        assertThat(plan.commands()).extracting(c -> c.get(c.size() - 1)).containsExactly("install", "start");
    }

    @Test
    void systemdExecStartSplitsBackIntoTheCommand() {
        ServiceSpec linux = new ServiceSpec("hostops-node", Path.of("/usr/lib/jvm/java-17/bin/java"),
                Path.of("/opt/hostops/hostops-node.jar"), Path.of("/etc/hostops/my node.yaml"), Path.of("/etc/hostops"));
        String unit = new SystemdInstaller(Path.of("/etc/systemd/system")).plan(linux).files().get(0).content();
        String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        assertThat(systemdSplit(execStart)).isEqualTo(linux.command());
        assertThat(unit).contains("WorkingDirectory=/etc/hostops").contains("Restart=always").contains("WantedBy=multi-user.target");
    }

    private static String text(Document xml, String tag) {
        return xml.getElementsByTagName(tag).item(0).getTextContent();
    }

    /** systemd's word splitting for ExecStart: whitespace separates, double quotes group, backslash escapes. */
    private static List<String> systemdSplit(String line) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (c == ' ' && !quoted) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }
}
