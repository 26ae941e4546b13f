package io.meridian.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Describes a JSON syntax error in the client's terms: what is wrong and where (line and column),
 * never Jackson's own message, which names its settings ({@code ALLOW_COMMENTS}) and Java types.
 * Jackson's message is only read to tell the kinds of error apart.
 */
final class JsonSyntax {

    private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\('.*' \\(code (\\d+)\\)\\)");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([A-Za-z0-9_.-]{1,64})'");

    private JsonSyntax() {
    }

    static String describe(StreamReadException e) {
        String where = where(e.getLocation());
        String m = String.valueOf(e.getOriginalMessage());
        if (e instanceof JsonEOFException || m.startsWith("Unexpected end-of-input")) {
            return "is not valid JSON: it ends before the JSON value is complete" + where;
        }
        if (m.contains("'NaN'") || m.contains("Infinity'") || m.contains("NON_NUMERIC_NUMBERS")) {
            return "is not valid JSON: NaN and Infinity are not JSON numbers; numbers must be finite" + where;
        }
        if (m.contains("comment")) {
            return "is not valid JSON: JSON has no comments" + where;
        }
        Matcher duplicate = DUPLICATE.matcher(m);
        if (duplicate.find()) {
            return "is not valid JSON: the field '" + duplicate.group(1) + "' appears twice in one object" + where;
        }
        if (m.startsWith("Duplicate field")) {
            return "is not valid JSON: a field appears twice in one object" + where;
        }
        if (m.contains("unquoted character") || m.contains("CTRL-CHAR")) {
            return "is not valid JSON: control characters in strings must be escaped" + where;
        }
        if (m.contains("character escape")) {
            return "is not valid JSON: a string has an invalid escape sequence" + where;
        }
        if (m.contains("Leading zeroes") || m.contains("numeric value") || m.contains("Numeric value")
                || m.contains("Invalid number")) {
            return "is not valid JSON: a number is malformed" + where;
        }
        if (m.contains("close marker")) {
            return "is not valid JSON: a closing bracket does not match its opening one" + where;
        }
        if (m.contains("Unrecognized token")) {
            return "is not valid JSON: an unquoted word (strings need double quotes; the literals are true, false "
                    + "and null)" + where;
        }
        if (m.contains("UTF-8") || m.contains("UTF8")) {
            return "is not valid UTF-8" + where;
        }
        Matcher unexpected = UNEXPECTED.matcher(m);
        if (unexpected.find()) {
            return "is not valid JSON: unexpected character " + character(Integer.parseInt(unexpected.group(1)))
                    + (m.contains("field name") ? " where a field name in double quotes belongs" : "") + where;
        }
        return "is not valid JSON" + where;
    }

    private static String character(int code) {
        return code > 0x20 && code < 0x7F ? "'" + (char) code + "'" : String.format("U+%04X", code);
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
