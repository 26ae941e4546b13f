package io.meridian.records;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The compact form of routing records in the database: one line per record, the lines of a batch in
 * one column of one row (docs/operations.md, "Routing records"). A line holds the record's fields
 * in this order, separated by tabs, escaped as PostgreSQL's COPY text format does (backslash, tab,
 * line feed, carriage return; {@code \N} for null); the account is the batch row's column, not a field.
 *
 * <pre>
 * planId  recordedAt  meetingId  strategy  participants  regionsUsed  blocked  allowed  sources  dataCenters  reservationId  kind  participantId
 * </pre>
 *
 * Code lists are comma-separated ({@code "EU,US"}, empty for none); {@code allowed} is {@code \N}
 * without an allow-list; {@code dataCenters} is {@code "eu-fra:EU:2:P;us-sjc:US:1:-"} (data center,
 * region, participants, primary or not). Codes and ids never contain commas, colons or semicolons.
 * The policy version and the live meeting's own id are not stored (the transparency log states them).
 */
public final class RecordLines {

    /** Fields of a line. */
    static final int FIELDS = 13;

    private RecordLines() {
    }

    /** Appends the record's line, with its line feed. */
    public static StringBuilder append(StringBuilder out, RoutingRecord r) {
        field(out, r.planId()).append('\t').append(r.recordedAt()).append('\t');
        field(out, r.meetingId()).append('\t');
        field(out, r.strategy()).append('\t').append(r.participants()).append('\t');
        list(out, r.regionsUsed()).append('\t');
        list(out, r.blocked()).append('\t');
        if (r.allowed().isPresent()) {
            list(out, r.allowed().get()).append('\t');
        } else {
            out.append("\\N\t");
        }
        list(out, r.sources()).append('\t');
        for (int i = 0; i < r.dataCenters().size(); i++) {
            RoutingRecord.Site s = r.dataCenters().get(i);
            if (i > 0) {
                out.append(';');
            }
            field(out, s.dataCenter()).append(':');
            field(out, s.region()).append(':').append(s.participants()).append(':').append(s.primary() ? 'P' : '-');
        }
        out.append('\t');
        field(out, r.reservationId()).append('\t');
        field(out, r.kind().name()).append('\t');
        return field(out, r.participantId()).append('\n');
    }

    /** The lines of these records. */
    public static String of(Collection<RoutingRecord> records) {
        StringBuilder out = new StringBuilder(records.size() * 160);
        for (RoutingRecord r : records) {
            append(out, r);
        }
        return out.toString();
    }

    /** The records of the lines of a batch of {@code accountId} (null: records without an account). */
    public static List<RoutingRecord> parse(String lines, String accountId) {
        List<RoutingRecord> records = new ArrayList<>();
        int start = 0;
        while (start < lines.length()) {
            int end = lines.indexOf('\n', start);
            if (end < 0) {
                end = lines.length();
            }
            if (end > start) {
                records.add(line(lines.substring(start, end), accountId));
            }
            start = end + 1;
        }
        return records;
    }

    private static RoutingRecord line(String line, String accountId) {
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("a routing-record line has " + f.length + " fields, not " + FIELDS);
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = unescape(f[i]);
        }
        String participant = f[12];
        return new RoutingRecord(f[0], Long.parseLong(f[1]), accountId, f[2], f[3], Integer.parseInt(f[4]),
                parseSites(f[9]), codes(f[5]), codes(f[6]), Optional.ofNullable(f[7]).map(RecordLines::codes),
                f[8].isEmpty() ? List.of() : Arrays.asList(f[8].split(",")), f[10], 0,
                RoutingRecord.Kind.valueOf(f[11]),
                participant == null ? Optional.empty()
                        : Optional.of(new RoutingRecord.LiveEvent(null, participant, false)));
    }

    /** Comma-separated values, each escaped like a field (a comma needs no escape: values never hold one). */
    private static StringBuilder list(StringBuilder out, Collection<String> values) {
        boolean first = true;
        for (String v : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            field(out, v);
        }
        return out;
    }

    /** One field: {@code \N} for null; backslash, tab, line feed and carriage return escaped. */
    static StringBuilder field(StringBuilder line, String value) {
        if (value == null) {
            return line.append("\\N");
        }
        if (!needsEscape(value)) {
            // the usual case (ids, codes, numbers): one copy instead of a character at a time
            return line.append(value);
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(ch);
            }
        }
        return line;
    }

    /** The value of a field written by {@link #field}; null for {@code \N}. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        if (field.equals("\\N")) {
            return null;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch != '\\' || i + 1 == field.length()) {
                sb.append(ch);
                continue;
            }
            char next = field.charAt(++i);
            switch (next) {
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                default -> sb.append(next);
            }
        }
        return sb.toString();
    }

    private static boolean needsEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                return true;
            }
        }
        return false;
    }

    static List<RoutingRecord.Site> parseSites(String text) {
        List<RoutingRecord.Site> sites = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return sites;
        }
        for (String site : text.split(";")) {
            String[] f = site.split(":");
            sites.add(new RoutingRecord.Site(f[0], f[1], Integer.parseInt(f[2]), "P".equals(f[3])));
        }
        return sites;
    }

    private static SortedSet<String> codes(String joined) {
        TreeSet<String> codes = new TreeSet<>();
        for (String code : joined.split(",")) {
            if (!code.isEmpty()) {
                codes.add(code);
            }
        }
        return codes;
    }
}
