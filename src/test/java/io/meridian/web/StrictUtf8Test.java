package io.meridian.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrictUtf8Test {

    private static ObjectMapper mapper() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJsonCustomizer().customize(mapper);
        return mapper;
    }

    @Test
    void validUtf8ShouldBeReadFromArraysAndStreamsOfAnySize() throws Exception {
        String big = "{\"a\": [" + "\"\u00e9\u4e2d\ud83d\ude00\",".repeat(200_000) + "1]}";
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        ObjectMapper mapper = mapper();
        assertThat(mapper.readTree(bytes).get("a").size()).isEqualTo(200_001);
        JsonNode read = mapper.readerFor(JsonNode.class).readValue(bytes, 0, bytes.length);
        assertThat(read.get("a").size()).isEqualTo(200_001);
        assertThat(mapper.readTree(new ByteArrayInputStream(bytes)).get("a").size()).isEqualTo(200_001);
    }

    @Test
    void overlongEncodedSurrogateAndNulBytesShouldBeRefused() {
        ObjectMapper mapper = mapper();
        for (byte[] bad : new byte[][]{{'"', (byte) 0xC0, (byte) 0xAF, '"'}, {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
                {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, {'"', (byte) 0xE2, (byte) 0x82}, {'"', 0, '"'}}) {
            assertThatThrownBy(() -> mapper.readTree(bad)).isInstanceOf(JsonInputProblem.class);
            assertThatThrownBy(() -> mapper.readTree(new ByteArrayInputStream(bad))).isInstanceOf(JsonInputProblem.class);
        }
    }
}
