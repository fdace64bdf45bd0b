package dev.hostops.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.MessageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JSON examples in contracts/README.md are valid messages, for the schemas and the codec. */
class ReadmeExamplesTest {
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyJsonExampleIsValid() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<JsonNode> examples = new ArrayList<>();
        Matcher m = JSON_BLOCK.matcher(readme);
        ObjectMapper plain = new ObjectMapper();
        while (m.find()) {
            try (MappingIterator<JsonNode> it = plain.readerFor(JsonNode.class).readValues(m.group(1))) {
                it.forEachRemaining(examples::add);
            }
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
        MessageCodec codec = MessageCodec.standard();
        for (JsonNode example : examples) {
            MessageType type = MessageType.fromWire(example.path("type").asText()).orElseThrow();
            assertThat(Schemas.validate(type, example)).as(example.toString()).isEmpty();
            Message decoded = codec.decodeTree(example);
            assertThat(decoded.type()).isEqualTo(type.wire());
        }
    }
}
