package io.meridian.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compares an answer a page shows with the one the service gave. Values that differ on every run
 * are compared by kind only: a string that is a ULID (plan and reservation ids), an RFC 3339 time or
 * a SHA-256 hash in base64 (a transparency-log entry's hash, which covers the plan's time) on both
 * sides. Everything else must be equal: same fields, same array order, same numbers
 * written the same way ({@code 6.0} is not {@code 6}).
 */
final class Answers {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ULID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");
    private static final Pattern SHA256_BASE64 = Pattern.compile("[A-Za-z0-9+/]{43}=");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

    private Answers() {
    }

    static boolean volatileValue(String value) {
        return ULID.matcher(value).matches() || TIME.matcher(value).matches()
                || SHA256_BASE64.matcher(value).matches();
    }

    /** Every difference between the shown and the real JSON, by JSON path; empty when they agree. */
    static List<String> differences(JsonNode shown, JsonNode real) {
        List<String> differences = new ArrayList<>();
        compare("$", shown, real, differences);
        return differences;
    }

    private static void compare(String path, JsonNode shown, JsonNode real, List<String> differences) {
        if (shown.isTextual() && real.isTextual() && volatileValue(shown.textValue()) && volatileValue(real.textValue())) {
            return;
        }
        if (shown.isObject() && real.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode other = real.get(field.getKey());
                if (other == null) {
                    differences.add(path + "." + field.getKey() + ": shown, but not in the answer");
                } else {
                    compare(path + "." + field.getKey(), field.getValue(), other, differences);
                }
            }
            for (Iterator<String> it = real.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!shown.has(name)) {
                    differences.add(path + "." + name + ": in the answer (" + real.get(name) + "), but not shown");
                }
            }
        } else if (shown.isArray() && real.isArray()) {
            for (int i = 0; i < Math.min(shown.size(), real.size()); i++) {
                compare(path + "[" + i + "]", shown.get(i), real.get(i), differences);
            }
            if (shown.size() != real.size()) {
                differences.add(path + ": " + shown.size() + " items shown, " + real.size() + " in the answer");
            }
        } else if (!shown.equals(real)) {
            differences.add(path + ": shown " + shown + ", answered " + real);
        }
    }

    /**
     * The JSON laid out as the README lays it out: one field per line at the top, arrays of
     * objects one object per line, everything else compact. Failures print the real answer this
     * way, ready to paste.
     */
    static String render(JsonNode node) {
        if (node.isArray()) {
            return items(node, "");
        }
        if (!node.isObject()) {
            return spaced(node);
        }
        StringBuilder out = new StringBuilder("{\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            out.append("  ").append(JSON.valueToTree(field.getKey()).toString()).append(": ")
                    .append(value.isArray() ? items(value, "  ") : spaced(value))
                    .append(it.hasNext() ? ",\n" : "\n");
        }
        return out.append("}").toString();
    }

    private static String items(JsonNode array, String indent) {
        boolean objects = array.size() > 0 && array.get(0).isObject();
        if (!objects) {
            return spaced(array);
        }
        StringBuilder out = new StringBuilder("[\n");
        for (int i = 0; i < array.size(); i++) {
            out.append(indent).append("  ").append(spaced(array.get(i))).append(i + 1 < array.size() ? ",\n" : "\n");
        }
        return out.append(indent).append("]").toString();
    }

    /** Compact JSON with a space after each colon and comma outside strings, as people write it. */
    private static String spaced(JsonNode node) {
        String compact = node.toString();
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < compact.length(); i++) {
            char c = compact.charAt(i);
            out.append(c);
            if (c == '"' && (i == 0 || compact.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && (c == ':' || c == ',')) {
                out.append(' ');
            }
        }
        return out.toString();
    }
}
