package dev.hostops.dispatcher.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStoreTest {
    @TempDir
    Path dir;

    @Test
    void plainAndHashedTokensAuthenticateWithTheirRoles() throws Exception {
        Path f = dir.resolve("tokens.yaml");
        Files.writeString(f, """
                tokens:
                  - name: tier2
                    token: "tier2-token-0123456789"
                    roles: [submit, read]
                  - name: ops
                    token: "%s"
                    roles: [admin]
                """.formatted(TokenStore.hashForFile("ops-token-0123456789")));
        TokenStore store = TokenStore.load(f);
        Principal tier2 = store.authenticate("tier2-token-0123456789").orElseThrow();
        assertThat(tier2.name()).isEqualTo("tier2");
        assertThat(tier2.has(Role.SUBMIT)).isTrue();
        assertThat(tier2.has(Role.APPROVE)).isFalse();
        Principal ops = store.authenticate("ops-token-0123456789").orElseThrow();
        assertThat(ops.has(Role.APPROVE)).isTrue();
        assertThat(store.authenticate("tier2-token-012345678")).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
        assertThat(store.toString()).doesNotContain("tier2-token");
    }

    @Test
    void invalidEntriesAreNamedButTheirTokensAreNotShown() throws Exception {
        Path f = dir.resolve("tokens.yaml");
        Files.writeString(f, """
                tokens:
                  - name: short
                    token: "abc"
                    roles: [read]
                """);
        assertThatThrownBy(() -> TokenStore.load(f)).hasMessageContaining("tokens[0] (short).token").hasMessageNotContaining("abc\"");
        Files.writeString(f, """
                tokens:
                  - name: x
                    token: "long-enough-token-123"
                    roles: [root]
                """);
        assertThatThrownBy(() -> TokenStore.load(f)).hasMessageContaining("roles").hasMessageContaining("root");
        Files.writeString(f, "tokens: 3\n");
        assertThatThrownBy(() -> TokenStore.load(f)).hasMessageContaining("'tokens' list");
    }

    /**
     * From the docs walkthrough: a missing file was "cannot read tokens file nothere.yaml: nothere.yaml",
     * and a tab gave two line numbers (and Jackson's quote of the whole file, tokens included).
     */
    @Test
    void aMissingFileOrAYamlErrorSaysWhereAndWhatToDoAndShowsNoToken() throws Exception {
        Path missing = dir.resolve("nothere.yaml");
        assertThatThrownBy(() -> TokenStore.load(missing))
                .hasMessageStartingWith("the tokens file " + missing.toAbsolutePath() + " does not exist: write one (docs/API.md")
                .hasMessageContaining("leave --tokens");
        Path f = dir.resolve("tabs.yaml");
        Files.writeString(f, "tokens:\n  - name: a\n    token: \"secret-token-0123456789\"\n\t  roles: [read]\n");
        assertThatThrownBy(() -> TokenStore.load(f)).hasMessageStartingWith("the tokens file " + f + ": line 4, column 1: a tab")
                .hasMessageContaining("indent with spaces").hasMessageNotContaining("secret-token").hasMessageNotContaining("line: ");
    }
}
