package io.meridian.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.meridian.core.Ascii;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Strict JSON reading for a compliance API: a misspelt field ({@code "blockedRegion"}) or a value
 * of the wrong type must be an error the client sees, never silently dropped or coerced. Unknown
 * fields, duplicate keys, trailing content, numbers given as strings and strings given as numbers
 * are all rejected with 400. Beyond Jackson's own settings:
 * <ul>
 *   <li>the body must be exact UTF-8 ({@link StrictUtf8});</li>
 *   <li>every string and object key is held to {@link Text} (no control characters, no unpaired
 *       surrogates);</li>
 *   <li>enum values ({@code strategy}, {@code status}) match their names in any ASCII case, and
 *       nothing else: no trimming, no Unicode case mapping ({@link Ascii});</li>
 *   <li>times are RFC 3339 strings inside {@link Times}' window, never numbers.</li>
 * </ul>
 */
@Singleton
public class StrictJsonCustomizer implements ObjectMapperCustomizer {

    /** After Quarkus' own customizers, so that its JavaTimeModule does not take times back. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    @SuppressWarnings("deprecation")
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // case-insensitive in ASCII only: see AsciiEnums below
        mapper.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, false);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        for (LogicalType numeric : new LogicalType[]{LogicalType.Integer, LogicalType.Float}) {
            mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            mapper.coercionConfigFor(numeric).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        for (CoercionInputShape scalar : new CoercionInputShape[]{CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        SimpleModule strict = new SimpleModule("meridian-strict-input");
        strict.addDeserializer(String.class, new CheckedStrings());
        strict.addKeyDeserializer(String.class, new CheckedKeys());
        strict.addDeserializer(Instant.class, new Rfc3339Instants());
        strict.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                              BeanDescription description,
                                                              JsonDeserializer<?> deserializer) {
                return new AsciiEnums(type.getRawClass());
            }
        });
        mapper.registerModule(strict);
        mapper.getFactory().setInputDecorator(new StrictUtf8());
    }

    /** Strings as Jackson reads them (coercions refused as configured), then held to {@link Text}. */
    static final class CheckedStrings extends StdScalarDeserializer<String> {
        CheckedStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext context) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, context);
            if (value != null && !Text.storable(value)) {
                throw new JsonInputProblem(p, Text.MESSAGE, String.class);
            }
            return value;
        }
    }

    /** Object keys (ids of data centers, countries) held to {@link Text}. */
    static final class CheckedKeys extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext context) throws IOException {
            if (!Text.storable(key)) {
                throw new JsonInputProblem(context.getParser(), "has a key that " + Text.MESSAGE, String.class);
            }
            return key;
        }
    }

    /** {@link Instant}s from RFC 3339 strings inside the window of {@link Times}; numbers refused. */
    static final class Rfc3339Instants extends StdScalarDeserializer<Instant> {
        Rfc3339Instants() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Optional<Instant> at = Times.parse(p.getText());
                if (at.isPresent()) {
                    return at.get();
                }
            }
            throw new JsonInputProblem(p, Times.MESSAGE, Instant.class);
        }
    }

    /** An enum's constants by name, matched in any ASCII case ({@link Ascii#upperCode}). */
    static final class AsciiEnums extends StdScalarDeserializer<Object> {
        private final Map<String, Object> byName = new HashMap<>();
        private final String allowed;

        AsciiEnums(Class<?> type) {
            super(type);
            Object[] constants = type.getEnumConstants();
            for (Object constant : constants) {
                byName.put(((Enum<?>) constant).name(), constant);
            }
            this.allowed = Arrays.stream(constants).map(c -> ((Enum<?>) c).name()).collect(Collectors.joining(", "));
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Object value = Ascii.upperCode(p.getText()).map(byName::get).orElse(null);
                if (value != null) {
                    return value;
                }
            }
            throw new JsonInputProblem(p, "must be one of " + allowed, handledType());
        }
    }
}
