package io.meridian.records;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compact form of records (RecordLines) and how a batch is cut into rows. */
class RecordLinesTest {

    private static final List<RoutingRecord.Site> SITES = List.of(new RoutingRecord.Site("eu-fra", "EU", 2, true),
            new RoutingRecord.Site("us-sjc", "US", 1, false));

    private static RoutingRecord plan(String id, long at, String account, String meeting) {
        return new RoutingRecord(id, at, account, meeting, "CASCADE", 3, SITES, new TreeSet<>(List.of("EU", "US")),
                new TreeSet<>(List.of("CN", "RU")), Optional.empty(), List.of("request", "account:acme"), null);
    }

    @Test
    void aRecordIsOneLineOfTabSeparatedFields() {
        RoutingRecord r = plan("01JD0000000000000000000001", 1_700_000_000_000L, "acme", "weekly");
        assertThat(RecordLines.of(List.of(r))).isEqualTo("01JD0000000000000000000001\t1700000000000\tweekly\tCASCADE\t3\t"
                + "EU,US\tCN,RU\t\\N\trequest,account:acme\teu-fra:EU:2:P;us-sjc:US:1:-\t\\N\tPLAN\t\\N\n");
    }

    @Test
    void everyStoredFieldRoundTrips() {
        RoutingRecord plain = plan("01JD0000000000000000000001", 1_700_000_000_000L, "acme", null);
        RoutingRecord allowListed = new RoutingRecord("01JD0000000000000000000002", 1_700_000_000_001L, "acme",
                "a\tb\\c\nd\re", "SINGLE", 1, SITES.subList(0, 1), new TreeSet<>(List.of("EU")), new TreeSet<>(),
                Optional.of(new TreeSet<>()), List.of(), "01JD00000000000000000000R1");
        RoutingRecord join = new RoutingRecord("01JD0000000000000000000003", 1_700_000_000_002L, "acme", "weekly",
                "SINGLE", 1, SITES.subList(1, 2), new TreeSet<>(List.of("US")), new TreeSet<>(),
                Optional.of(new TreeSet<>(List.of("US", "EU"))), List.of("account:acme"), null, 0,
                RoutingRecord.Kind.JOIN, Optional.of(new RoutingRecord.LiveEvent(null, "\\N", false)));
        RoutingRecord nobody = new RoutingRecord("01JD0000000000000000000004", 1_700_000_000_003L, "acme", "weekly",
                "SINGLE", 0, List.of(), new TreeSet<>(), new TreeSet<>(), Optional.empty(), List.of(), null, 0,
                RoutingRecord.Kind.END, Optional.empty());
        List<RoutingRecord> records = List.of(plain, allowListed, join, nobody);

        assertThat(RecordLines.parse(RecordLines.of(records), "acme")).isEqualTo(records);
    }

    @Test
    void fieldsEscapeWhatTheLinesReserve() {
        assertThat(RecordLines.field(new StringBuilder(), null)).hasToString("\\N");
        assertThat(RecordLines.field(new StringBuilder(), "a\tb\nc\rd\\e")).hasToString("a\\tb\\nc\\rd\\\\e");
        assertThat(RecordLines.unescape("a\\tb\\nc\\rd\\\\e")).isEqualTo("a\tb\nc\rd\\e");
        assertThat(RecordLines.unescape("\\N")).isNull();
        assertThat(RecordLines.unescape("\\\\N")).isEqualTo("\\N");
        assertThat(RecordLines.field(new StringBuilder("x"), "ends\\")).hasToString("xends\\\\");
    }

    @Test
    void aDamagedLineIsRefusedNotMisread() {
        assertThatThrownBy(() -> RecordLines.parse("01JD0000000000000000000001\t17\tweekly\n", "acme"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 fields");
    }

    @Test
    void aBatchBecomesARowPerAccountKeyedByItsSmallestId() {
        RoutingRecord a2 = plan("01JD0000000000000000000002", 2, "acme", "m");
        RoutingRecord b1 = plan("01JD0000000000000000000001", 1, "beta", "m");
        RoutingRecord a3 = plan("01JD0000000000000000000003", 3, "acme", null);
        RoutingRecord none = plan("01JD0000000000000000000004", 4, null, null);

        List<RecordStore.Row> rows = RecordStore.rows(List.of(a3, b1, a2, none));

        assertThat(rows).extracting(RecordStore.Row::key).containsExactly("01JD0000000000000000000002",
                "01JD0000000000000000000001", "01JD0000000000000000000004");
        assertThat(rows.get(0).records()).containsExactly(a3, a2);
        assertThat(rows.get(0).firstAt()).isEqualTo(2);
        assertThat(rows.get(0).lastAt()).isEqualTo(3);
        assertThat(RecordLines.parse(rows.get(0).lines(), "acme")).containsExactly(a3, a2);
        assertThat(rows.get(2).accountId()).isNull();
        // a retried batch makes the same rows
        assertThat(RecordStore.rows(List.of(a3, b1, a2, none))).isEqualTo(rows);
    }

    @Test
    void aLargeBatchIsCutIntoRowsOfBoundedSize() {
        List<RoutingRecord> batch = new ArrayList<>();
        for (int i = 0; i < 2 * RecordStore.ROW_RECORDS + 5; i++) {
            batch.add(plan(PlanIds.next(1_700_000_000_000L + i), 1_700_000_000_000L + i, "acme", "m"));
        }
        List<RecordStore.Row> rows = RecordStore.rows(batch);

        assertThat(rows).extracting(r -> r.records().size()).containsExactly(RecordStore.ROW_RECORDS,
                RecordStore.ROW_RECORDS, 5);
        assertThat(rows.stream().flatMap(r -> RecordLines.parse(r.lines(), "acme").stream()).toList()).isEqualTo(batch);
        assertThat(rows).allSatisfy(r -> assertThat(r.lines().length()).isLessThanOrEqualTo(RecordStore.ROW_CHARS));
    }

    @Test
    void rowsOfLongLinesAreCutAtTheirCharacterBoundBeforeTheirRecordBound() {
        List<RoutingRecord> batch = new ArrayList<>();
        String meeting = "m".repeat(2_000);
        for (int i = 0; i < 1_000; i++) {
            batch.add(plan(PlanIds.next(1_700_000_000_000L + i), 1_700_000_000_000L + i, "acme", meeting));
        }
        List<RecordStore.Row> rows = RecordStore.rows(batch);

        assertThat(rows).hasSizeGreaterThan(1);
        assertThat(rows).allSatisfy(r -> assertThat(r.lines().length()).isLessThanOrEqualTo(RecordStore.ROW_CHARS));
        // each row but the last is full: one more line would have crossed the bound
        int line = rows.get(0).lines().length() / rows.get(0).records().size();
        assertThat(rows.subList(0, rows.size() - 1))
                .allSatisfy(r -> assertThat(r.lines().length()).isGreaterThan(RecordStore.ROW_CHARS - line));
        assertThat(rows.stream().flatMap(r -> RecordLines.parse(r.lines(), "acme").stream()).toList()).isEqualTo(batch);
        assertThat(rows.stream().flatMap(r -> r.records().stream()).toList()).isEqualTo(batch);
    }
}
