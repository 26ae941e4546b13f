package io.meridian.transparency.verifier;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @Test
    void readsWhatTheServiceWrites() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5e1, \"x\\u00e9\\n\", true, false, null], \"b\": {}, \"c\": []} ");
        Map<String, Object> o = Json.object(v, "v");
        assertThat(o.get("a")).isEqualTo(java.util.Arrays.asList(1L, -2L, 35.0, "xé\n", true, false, null));
        assertThat(o.get("b")).isEqualTo(Map.of());
        assertThat(o.get("c")).isEqualTo(List.of());
        assertThat(Json.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refusesWhatIsNotJson() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "{\"a\": 1} x", "\"open", "01", "1.", "tru",
                "{\"a\": 1, \"a\": 2}", "\"\\q\"", "9223372036854775808", "{a: 1}")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
