package io.meridian.transparency;

import io.meridian.transparency.log.Hash;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored form of a batch of log entries (EntryBatch): columns that round-trip and agree. */
class EntryBatchTest {

    private static Hash hash(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        return new Hash(b);
    }

    private static LogEntries.Encoded entry(String id, int bodySize, boolean account) {
        byte[] body = new byte[bodySize];
        Arrays.fill(body, (byte) id.hashCode());
        return new LogEntries.Encoded(id, 1_700_000_000_000L + id.hashCode() % 1000, body, hash(id.length()),
                account ? Optional.of(hash(7)) : Optional.empty());
    }

    private static void assertSame(List<LogEntries.Encoded> actual, List<LogEntries.Encoded> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            LogEntries.Encoded a = actual.get(i);
            LogEntries.Encoded e = expected.get(i);
            assertThat(a.factId()).isEqualTo(e.factId());
            assertThat(a.time()).isEqualTo(e.time());
            assertThat(a.body()).isEqualTo(e.body());
            assertThat(a.leafHash()).isEqualTo(e.leafHash());
            assertThat(a.accountHash()).isEqualTo(e.accountHash());
        }
    }

    @Test
    void everyEntryRoundTripsWithOrWithoutAnAccountAndWithAnEmptyBody() {
        List<LogEntries.Encoded> entries = List.of(entry("01JD0000000000000000000003", 281, true),
                entry("01JD0000000000000000000001", 0, false), entry("01JD0000000000000000000002", 17, true));
        EntryBatch batch = new EntryBatch(entries);

        assertSame(EntryBatch.parse(batch.columns()).entries(), entries);
        assertThat(batch.key()).isEqualTo("01JD0000000000000000000001");
        assertThat(batch.lastId()).isEqualTo("01JD0000000000000000000003");
        assertThat(batch.columns().accountFlags()).isEqualTo("101");
        assertThat(batch.columns().accountHashes()).hasSize(64);
        assertThat(batch.entry("01JD0000000000000000000002")).isPresent();
        assertThat(batch.entry("01JD0000000000000000000009")).isEmpty();
    }

    @Test
    void theSequencerReadsIdsAndHashesWithoutTheBodies() {
        List<LogEntries.Encoded> entries = List.of(entry("b", 40, false), entry("a", 50, true));
        EntryBatch.Columns cols = new EntryBatch(entries).columns();

        List<EntryBatch.Leaf> leaves = EntryBatch.leaves(cols.ids(), cols.leafHashes(), cols.accountFlags(),
                cols.accountHashes());
        assertThat(leaves).extracting(EntryBatch.Leaf::id).containsExactly("b", "a");
        assertThat(leaves.get(0).leafHash()).isEqualTo(entries.get(0).leafHash().bytes());
        assertThat(leaves.get(0).accountHash()).isNull();
        assertThat(leaves.get(1).accountHash()).isEqualTo(hash(7).bytes());
    }

    @Test
    void columnsThatDisagreeAreRefusedNotMisread() {
        EntryBatch.Columns good = new EntryBatch(List.of(entry("a", 5, true), entry("b", 5, false))).columns();

        assertThatThrownBy(() -> EntryBatch.parse(new EntryBatch.Columns(good.ids(), good.times(),
                Arrays.copyOf(good.leafHashes(), 32), good.accountFlags(), good.accountHashes(), good.bodyLengths(),
                good.bodies()))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntryBatch.parse(new EntryBatch.Columns(good.ids(), good.times(), good.leafHashes(),
                good.accountFlags(), good.accountHashes(), good.bodyLengths(), Arrays.copyOf(good.bodies(), 9))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntryBatch.parse(new EntryBatch.Columns(good.ids(), good.times(), good.leafHashes(),
                "11", good.accountHashes(), good.bodyLengths(), good.bodies()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyEntriesAreCutIntoRowsOfBoundedSize() {
        List<LogEntries.Encoded> entries = new ArrayList<>();
        for (int i = 0; i < 2 * EntryBatch.ROW_ENTRIES + 3; i++) {
            entries.add(entry(String.format("01JD%022d", i), 300, i % 2 == 0));
        }
        List<EntryBatch> rows = EntryBatch.of(entries);
        assertThat(rows).extracting(b -> b.entries().size()).containsExactly(EntryBatch.ROW_ENTRIES, EntryBatch.ROW_ENTRIES, 3);
        assertSame(rows.stream().flatMap(b -> EntryBatch.parse(b.columns()).entries().stream()).toList(), entries);

        List<LogEntries.Encoded> large = List.of(entry("x1", 600_000, true), entry("x2", 600_000, false));
        assertThat(EntryBatch.of(large)).hasSize(2);
        assertThat(EntryBatch.of(large)).allSatisfy(b ->
                assertThat(b.columns().bodies().length).isLessThanOrEqualTo(EntryBatch.ROW_BODY_BYTES));
    }
}
