package dev.hostops.dispatcher.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hostops.contracts.AskMode;
import dev.hostops.contracts.SecurityMode;
import dev.hostops.dispatcher.error.ApiError;
import dev.hostops.dispatcher.error.DispatcherException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubmitParserTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");

    private static SubmitBody parse(String json) {
        return SubmitParser.parse(json.getBytes(StandardCharsets.UTF_8), "tier2", NOW);
    }

    private static void rejects(String json, ApiError code, String mentions) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOfSatisfying(DispatcherException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContaining(mentions);
    }

    @Test
    void openClawBodyBecomesAnExec() {
        SubmitBody b = parse("""
                {"command":"git fetch --all --prune","host":"node","node":"HostOps-Win","security":"allowlist",
                 "ask":"on-miss","workdir":"C:\\\\OpenClaw","timeout":1800,"elevated":false}""");
        assertThat(b.single()).isTrue();
        assertThat(b.exec().node()).isEqualTo("HostOps-Win");
        assertThat(b.exec().command()).isEqualTo("git fetch --all --prune");
        assertThat(b.exec().timeoutMs()).isEqualTo(1_800_000L);
        assertThat(b.exec().security()).isEqualTo(SecurityMode.ALLOWLIST);
        assertThat(b.exec().ask()).isEqualTo(AskMode.ON_MISS);
        assertThat(b.exec().workdir()).isEqualTo("C:\\OpenClaw");
        assertThat(b.exec().requestedBy()).isEqualTo("tier2");
        assertThat(b.exec().id()).isNotBlank();
    }

    @Test
    void expiresInIsRelativeToNow() {
        SubmitBody relative = parse("{\"node\":\"n\",\"argv\":[\"x\"],\"expiresIn\":\"90s\"}");
        assertThat(relative.expiresIn()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(relative.exec().expiresAt()).as("the dispatcher fills it in as it records the command").isNull();
        assertThat(parse("{\"node\":\"n\",\"argv\":[\"x\"],\"expiresIn\":30}").expiresIn()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(parse("{\"node\":\"n\",\"argv\":[\"x\"]}").exec().expiresAt()).isNull();
        assertThat(parse("{\"node\":\"n\",\"argv\":[\"x\"]}").expiresIn()).isNull();
    }

    @Test
    void aDeadlineBeyondAYearOrBeyondWhatTimeHoldsIsRefusedNotStored() {
        // Each of these once answered 500, and the first stalled every publish after it (a broker expiry field overflowed).
        String body = "{\"node\":\"n\",\"argv\":[\"x\"],";
        rejects(body + "\"expiresIn\":\"50000d\"}", ApiError.INVALID_FIELD, "at most 366 days");
        rejects(body + "\"expiresIn\":9223372036854775807}", ApiError.INVALID_FIELD, "at most 366 days");
        rejects(body + "\"expiresIn\":99999999999999999999999}", ApiError.INVALID_FIELD, "at most 366 days");
        rejects(body + "\"expiresIn\":\"P99999999999999D\"}", ApiError.INVALID_FIELD, "expiresIn");
        rejects(body + "\"expiresAt\":\"+10000-01-01T00:00:00Z\"}", ApiError.INVALID_FIELD, "within 366 days");
        rejects(body + "\"expiresAt\":\"2028-01-01T00:00:00Z\"}", ApiError.INVALID_FIELD, "within 366 days");
        assertThat(parse(body + "\"expiresIn\":\"366d\"}").expiresIn()).isEqualTo(java.time.Duration.ofDays(366));
    }

    @Test
    void aBodyIsOneJsonObjectWithEachKeyOnce() {
        // {...}{...} once ran the first command and dropped the second unseen.
        rejects("{\"node\":\"a\",\"argv\":[\"x\"]}{\"node\":\"b\",\"argv\":[\"y\"]}", ApiError.MALFORMED_BODY, "Trailing token");
        rejects("{\"node\":\"a\",\"argv\":[\"x\"]} trailing", ApiError.MALFORMED_BODY, "not valid JSON");
        rejects("{\"node\":\"a\",\"node\":\"b\",\"argv\":[\"x\"]}", ApiError.MALFORMED_BODY, "Duplicate field 'node'");
    }

    @Test
    void manyNodesMakeAFanOut() {
        SubmitBody b = parse("{\"id\":\"r1\",\"nodes\":[\"a\",\"b\"],\"argv\":[\"x\"],\"maxConcurrency\":\"50%\",\"maxErrors\":2}");
        assertThat(b.single()).isFalse();
        assertThat(b.fanOut().nodes()).containsExactly("a", "b");
        assertThat(b.fanOut().maxConcurrency().toString()).isEqualTo("50%");
        assertThat(b.fanOut().maxErrors().toString()).isEqualTo("2");
        assertThat(b.fanOut().template().id()).isEqualTo("r1");
    }

    @Test
    void badFieldsAreNamed() {
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"timeout\":1,\"timeoutMs\":1}", ApiError.INVALID_FIELD, "timeout");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}", ApiError.INVALID_FIELD, "expiresAt must be in the future");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"ask\":\"sometimes\"}", ApiError.INVALID_FIELD, "ask");
        rejects("{\"node\":\"n\",\"argv\":[1]}", ApiError.INVALID_FIELD, "argv[0]");
        rejects("{\"node\":\"n\",\"command\":\"echo $(id)\"}", ApiError.SHELL_SYNTAX, "command");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"maxErrors\":1}", ApiError.INVALID_FIELD, "maxErrors");
        rejects("{\"selector\":[],\"argv\":[\"x\"]}", ApiError.INVALID_FIELD, "selector");
        rejects("{\"selector\":{\"online\":\"yes\"},\"argv\":[\"x\"]}", ApiError.INVALID_FIELD, "selector.online");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"id\":\"has space\"}", ApiError.INVALID_FIELD, "id");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"timeoutMs\":1.5}", ApiError.INVALID_FIELD, "timeoutMs");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"timeoutMs\":0}", ApiError.INVALID_FIELD, "timeoutMs must be a positive whole number");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"timeoutMs\":9223372036854776}", ApiError.INVALID_FIELD, "timeoutMs must be at most 9223372036854775");
        rejects("{\"node\":\"n\",\"argv\":[\"x\"],\"timeout\":99999999999999999999}", ApiError.INVALID_FIELD, "timeout must be at most");
    }
}
