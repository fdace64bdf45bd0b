package dev.hostops.contracts.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import dev.hostops.contracts.codec.MessageCodec;
import dev.hostops.contracts.codec.MessageFormatException;
import dev.hostops.contracts.message.Message;
import dev.hostops.contracts.message.MessageType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the JSON Schema files and the Java codec from drifting apart: every golden message must be
 * accepted by both, every invalid one refused by both (the codec with the expected code and field),
 * and what Java encodes must satisfy the schemas.
 */
class GoldenMessagesTest {
    private final MessageCodec codec = MessageCodec.standard();

    @TestFactory
    Stream<DynamicTest> validGoldenMessagesPassSchemaAndRoundTrip() {
        return Golden.valid().stream().map(g -> DynamicTest.dynamicTest(g.toString(), () -> {
            assertThat(Schemas.validate(g.type(), g.tree())).as("schema errors").isEmpty();
            assertThat(Schemas.anyMessage().validate(g.tree())).as("message.schema.json errors").isEmpty();

            Message decoded = codec.decode(g.bytes());
            assertThat(decoded).isInstanceOf(g.type().recordType());
            byte[] encoded = codec.encode(decoded);
            assertThat(Schemas.validate(g.type(), codec.mapper().readTree(encoded))).as("schema errors of the re-encoded form").isEmpty();
            assertThat(codec.decode(encoded)).isEqualTo(decoded);
            assertThat(new String(encoded, java.nio.charset.StandardCharsets.UTF_8)).as("the one-pass encoding is the tree's text")
                    .isEqualTo(codec.mapper().writeValueAsString(codec.toTree(decoded)));
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidGoldenMessagesAreRejectedByBoth() {
        return Golden.invalid().stream().map(g -> DynamicTest.dynamicTest(g.toString(), () -> {
            assertThat(g.expectedCode()).as("sidecar code").isNotNull();
            Set<ValidationMessage> errors = Schemas.validate(g.type(), g.tree());
            assertThat(errors).as("the schema must reject " + g).isNotEmpty();
            // ... and for the same reason: some error points at the field (oneOf errors point at the object).
            String field = topLevel(g.expectedField());
            assertThat(errors).as("schema errors for " + g + " mention " + field)
                    .anyMatch(m -> m.toString().contains(field) || m.getType().equals("oneOf"));

            MessageFormatException e = catchThrowableOfType(MessageFormatException.class, () -> codec.decode(g.bytes()));
            assertThat(e).as("the codec must reject " + g).isNotNull();
            assertThat(e.code().name()).as(e.getMessage()).isEqualTo(g.expectedCode());
            assertThat(e.field()).as(e.getMessage()).contains(g.expectedField());
            assertThat(e.getMessage()).as("the sentence names the field").contains(topLevel(g.expectedField()));
            assertThat(Schemas.anyMessage().validate(g.tree())).as("message.schema.json must reject " + g).isNotEmpty();
        }));
    }

    @Test
    void everyTypeHasValidAndInvalidExamples() {
        for (MessageType t : MessageType.values()) {
            assertThat(Golden.valid()).as("valid examples of " + t).anyMatch(g -> g.type() == t);
            assertThat(Golden.invalid()).as("invalid examples of " + t).anyMatch(g -> g.type() == t);
        }
    }

    @Test
    void schemaRequiredListsMatchTheCodec() {
        for (MessageType t : MessageType.values()) {
            List<String> schemaRequired = new ArrayList<>();
            Schemas.document(t.wire() + ".schema.json").get("required").forEach(n -> schemaRequired.add(n.asText()));
            List<String> expected = new ArrayList<>(List.of("v", "type"));
            expected.addAll(t.requiredFields());
            assertThat(schemaRequired).as(t.wire()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /**
     * Drop each field of each golden message in turn: a field the schema requires must make both
     * refuse (the codec with MISSING_FIELD naming it); any other field must leave both accepting.
     * A record that gains a required field the schema does not list fails here.
     */
    @TestFactory
    Stream<DynamicTest> droppingAFieldAffectsSchemaAndCodecAlike() {
        return Golden.valid().stream().map(g -> DynamicTest.dynamicTest(g.toString(), () -> {
            ObjectNode tree = (ObjectNode) g.tree();
            Iterator<String> names = tree.fieldNames();
            List<String> fields = new ArrayList<>();
            names.forEachRemaining(fields::add);
            for (String field : fields) {
                if (field.equals("v") || field.equals("type")) {
                    continue;
                }
                ObjectNode without = tree.deepCopy();
                without.remove(field);
                boolean schemaOk = Schemas.validate(g.type(), without).isEmpty();
                MessageFormatException e = catchThrowableOfType(MessageFormatException.class, () -> codec.decodeTree(without));
                assertThat(e == null).as("without '" + field + "': codec accepts (" + (e == null ? "" : e.getMessage())
                        + ") must equal schema accepts").isEqualTo(schemaOk);
                if (g.type().requiredFields().contains(field)) {
                    assertThat(e).isNotNull();
                    assertThat(e.code().name()).isEqualTo("MISSING_FIELD");
                    assertThat(e.field()).contains(field);
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> javaEncodedMessagesSatisfyTheSchemas() {
        assertThat(SampleMessages.coversEveryType(SampleMessages.full())).isTrue();
        assertThat(SampleMessages.coversEveryType(SampleMessages.minimal())).isTrue();
        return Stream.concat(SampleMessages.full().stream(), SampleMessages.minimal().stream())
                .map(m -> DynamicTest.dynamicTest(m.type() + " " + m, () -> {
                    MessageType t = MessageType.of(m.getClass());
                    JsonNode encoded = codec.mapper().readTree(codec.encode(m));
                    assertThat(Schemas.validate(t, encoded)).as(encoded.toString()).isEmpty();
                    assertThat(codec.decode(codec.encode(m))).isEqualTo(m);
                    // Every field Java writes is described by the schema (additionalProperties is
                    // allowed for forward compatibility, so the validator alone would not notice).
                    Set<String> declared = declaredProperties(t);
                    encoded.fieldNames().forEachRemaining(f -> assertThat(declared).as(t.wire() + " schema properties").contains(f));
                }));
    }

    @Test
    void everyRecordComponentIsAPropertyOfItsSchema() {
        for (MessageType t : MessageType.values()) {
            Set<String> declared = declaredProperties(t);
            Arrays.stream(t.recordType().getRecordComponents())
                    .forEach(c -> assertThat(declared).as(t.wire() + " schema lacks " + c.getName()).contains(c.getName()));
            Set<String> components = new TreeSet<>();
            Arrays.stream(t.recordType().getRecordComponents()).forEach(c -> components.add(c.getName()));
            components.add("v");
            components.add("type");
            assertThat(components).as(t.wire() + ": schema properties without a record component").containsAll(declared);
        }
    }

    @Test
    void everySchemaPropertyHasADescription() {
        for (String file : schemaFiles()) {
            JsonNode doc = Schemas.document(file);
            assertThat(doc.path("description").isTextual()).as(file).isTrue();
            assertDescribed(file, "", doc);
        }
    }

    @Test
    void schemasDeclareDraft202012AndTheirId() {
        for (String file : schemaFiles()) {
            JsonNode doc = Schemas.document(file);
            assertThat(doc.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(doc.path("$id").asText()).isEqualTo(Schemas.BASE + file);
            assertThatCode(() -> Schemas.byName(file).validate(codec.mapper().createObjectNode())).doesNotThrowAnyException();
        }
    }

    private static void assertDescribed(String file, String where, JsonNode schema) {
        JsonNode props = schema.path("properties");
        props.fieldNames().forEachRemaining(name -> {
            JsonNode p = props.get(name);
            boolean conditional = where.contains("oneOf") || where.contains("then") || where.contains("if");
            if (!conditional) {
                assertThat(p.path("description").isTextual()).as(file + " " + where + "/" + name + " has a description").isTrue();
            }
        });
        schema.path("$defs").fieldNames().forEachRemaining(name -> {
            assertThat(schema.path("$defs").get(name).path("description").isTextual()).as(file + " $defs/" + name).isTrue();
            assertDescribed(file, where + "/$defs/" + name, schema.path("$defs").get(name));
        });
        for (String key : List.of("oneOf", "allOf", "anyOf")) {
            for (JsonNode sub : schema.path(key)) {
                assertDescribed(file, where + "/" + key, sub);
            }
        }
        for (String key : List.of("if", "then")) {
            if (schema.has(key)) {
                assertDescribed(file, where + "/" + key, schema.get(key));
            }
        }
    }

    private static Set<String> declaredProperties(MessageType t) {
        Set<String> names = new TreeSet<>();
        Schemas.document(t.wire() + ".schema.json").path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> schemaFiles() {
        return dev.hostops.contracts.JsonSchemas.fileNames();
    }

    private static String topLevel(String field) {
        int cut = field.length();
        for (char c : new char[] {'.', '['}) {
            int i = field.indexOf(c);
            if (i > 0) {
                cut = Math.min(cut, i);
            }
        }
        return field.substring(0, cut);
    }
}
