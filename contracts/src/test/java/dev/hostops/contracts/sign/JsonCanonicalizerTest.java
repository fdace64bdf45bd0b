package dev.hostops.contracts.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hostops.contracts.sign.internal.Es6Numbers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Test vectors of RFC 8785 (sections 3.2.2, 3.2.3 and appendix B). */
class JsonCanonicalizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String canonical(String json) throws Exception {
        return JsonCanonicalizer.canonicalString(JSON.readTree(json));
    }

    @Test
    void rfc8785_section_3_2_2_primitives() throws Exception {
        String in = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + "  \"literals\": [null, true, false]\n}";
        assertThat(canonical(in)).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void rfc8785_section_3_2_3_sorting_by_utf16_code_units() throws Exception {
        String in = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\","
                + "\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        assertThat(canonical(in)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    @Test
    void utf8_bytes_of_the_sorting_vector() throws Exception {
        byte[] bytes = JsonCanonicalizer.canonicalize(JSON.readTree("{\"\\u20ac\":\"\\u00f6\"}"));
        assertThat(bytes).containsExactly(0x7b, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x3a, 0x22, 0xc3, 0xb6, 0x22, 0x7d);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2",
    })
    void rfc8785_appendix_b_numbers(String hexBits, String expected) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(hexBits, 16));
        assertThat(Es6Numbers.format(d)).isEqualTo(expected);
        assertThat(JsonCanonicalizer.canonicalString(JsonNodeFactory.instance.numberNode(d))).isEqualTo(expected);
    }

    @Test
    void integers_are_written_as_integers_and_whitespace_and_order_do_not_matter() throws Exception {
        assertThat(canonical("{ \"b\" : [1, -2, 600000, 5.0], \"a\": {\"y\": null, \"x\": \"\\u007f\\t\"} }"))
                .isEqualTo("{\"a\":{\"x\":\"\u007f\\t\",\"y\":null},\"b\":[1,-2,600000,5]}");
        assertThat(canonical("[9007199254740993]")).isEqualTo("[9007199254740992]"); // beyond 2^53: a double, as JCS says
    }

    @Test
    void a_lone_surrogate_is_refused() {
        assertThatThrownBy(() -> JsonCanonicalizer.canonicalString(JsonNodeFactory.instance.textNode("a\ud800b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surrogate");
    }
}
