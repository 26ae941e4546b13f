package io.meridian.transparency;

import io.meridian.transparency.log.Hash;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Log entries stored together: the columns of one {@code transparency_entry_batch} row (schema V12),
 * entry by entry in the same order. Text columns hold the ids (a line each), times and body lengths
 * (comma-separated) and whether each entry has an account hash ({@code 1} or {@code 0}, a character
 * each); byte columns hold the 32-byte leaf hashes, the account hashes of the entries that have one,
 * and the bodies, each concatenated.
 */
record EntryBatch(List<LogEntries.Encoded> entries) {

    /** Entries of one row at most, and bytes of its bodies (H2 keeps a binary value up to 1,000,000). */
    static final int ROW_ENTRIES = 1_000;
    static final int ROW_BODY_BYTES = 900_000;
    private static final int HASH = 32;

    EntryBatch {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("an entry batch holds at least one entry");
        }
    }

    /** The batch's smallest entry id: its key, the same for a retry of the same records. */
    String key() {
        String key = entries.get(0).factId();
        for (LogEntries.Encoded e : entries) {
            if (e.factId().compareTo(key) < 0) {
                key = e.factId();
            }
        }
        return key;
    }

    String firstId() {
        return key();
    }

    String lastId() {
        String last = entries.get(0).factId();
        for (LogEntries.Encoded e : entries) {
            if (e.factId().compareTo(last) > 0) {
                last = e.factId();
            }
        }
        return last;
    }

    /** The batches of these entries: cut at {@link #ROW_ENTRIES} entries and {@link #ROW_BODY_BYTES} bytes of bodies. */
    static List<EntryBatch> of(List<LogEntries.Encoded> entries) {
        List<EntryBatch> batches = new ArrayList<>();
        List<LogEntries.Encoded> in = new ArrayList<>();
        int bytes = 0;
        for (LogEntries.Encoded e : entries) {
            if (!in.isEmpty() && (in.size() == ROW_ENTRIES || bytes + e.body().length > ROW_BODY_BYTES)) {
                batches.add(new EntryBatch(in));
                in = new ArrayList<>();
                bytes = 0;
            }
            in.add(e);
            bytes += e.body().length;
        }
        if (!in.isEmpty()) {
            batches.add(new EntryBatch(in));
        }
        return batches;
    }

    /** The stored columns of a batch. */
    record Columns(String ids, String times, byte[] leafHashes, String accountFlags, byte[] accountHashes,
                   String bodyLengths, byte[] bodies) {
    }

    Columns columns() {
        StringBuilder ids = new StringBuilder(entries.size() * 27);
        StringBuilder times = new StringBuilder(entries.size() * 14);
        StringBuilder flags = new StringBuilder(entries.size());
        StringBuilder lengths = new StringBuilder(entries.size() * 4);
        byte[] leaves = new byte[entries.size() * HASH];
        ByteArrayOutputStream accounts = new ByteArrayOutputStream(entries.size() * HASH);
        int total = 0;
        for (LogEntries.Encoded e : entries) {
            total += e.body().length;
        }
        byte[] bodies = new byte[total];
        int at = 0;
        for (int i = 0; i < entries.size(); i++) {
            LogEntries.Encoded e = entries.get(i);
            String sep = i == 0 ? "" : ",";
            ids.append(i == 0 ? "" : "\n").append(e.factId());
            times.append(sep).append(e.time());
            lengths.append(sep).append(e.body().length);
            System.arraycopy(e.leafHash().bytes(), 0, leaves, i * HASH, HASH);
            flags.append(e.accountHash().isPresent() ? '1' : '0');
            e.accountHash().ifPresent(h -> accounts.writeBytes(h.bytes()));
            System.arraycopy(e.body(), 0, bodies, at, e.body().length);
            at += e.body().length;
        }
        return new Columns(ids.toString(), times.toString(), leaves, flags.toString(), accounts.toByteArray(),
                lengths.toString(), bodies);
    }

    /** The entries of stored columns; refuses columns that do not agree with each other. */
    static EntryBatch parse(Columns c) {
        String[] ids = c.ids().split("\n", -1);
        String[] times = c.times().split(",", -1);
        String[] lengths = c.bodyLengths().split(",", -1);
        int n = ids.length;
        if (times.length != n || lengths.length != n || c.accountFlags().length() != n
                || c.leafHashes().length != n * HASH) {
            throw new IllegalArgumentException("the columns of an entry batch disagree on its size");
        }
        List<LogEntries.Encoded> entries = new ArrayList<>(n);
        int body = 0;
        int account = 0;
        for (int i = 0; i < n; i++) {
            int length = Integer.parseInt(lengths[i]);
            if (length < 0 || body + length > c.bodies().length) {
                throw new IllegalArgumentException("the bodies of an entry batch are shorter than their lengths");
            }
            Optional<Hash> accountHash = Optional.empty();
            if (c.accountFlags().charAt(i) == '1') {
                if (account + HASH > c.accountHashes().length) {
                    throw new IllegalArgumentException("an entry batch has fewer account hashes than its flags say");
                }
                accountHash = Optional.of(new Hash(Arrays.copyOfRange(c.accountHashes(), account, account + HASH)));
                account += HASH;
            }
            entries.add(new LogEntries.Encoded(ids[i], Long.parseLong(times[i]),
                    Arrays.copyOfRange(c.bodies(), body, body + length),
                    new Hash(Arrays.copyOfRange(c.leafHashes(), i * HASH, (i + 1) * HASH)), accountHash));
            body += length;
        }
        return new EntryBatch(entries);
    }

    /** What the sequencer needs of an entry: its id and hashes, not its bytes. */
    record Leaf(String id, byte[] leafHash, byte[] accountHash) {
    }

    /** The leaves of a stored batch, from its id and hash columns alone. */
    static List<Leaf> leaves(String ids, byte[] leafHashes, String accountFlags, byte[] accountHashes) {
        String[] id = ids.split("\n", -1);
        if (accountFlags.length() != id.length || leafHashes.length != id.length * HASH) {
            throw new IllegalArgumentException("the columns of an entry batch disagree on its size");
        }
        List<Leaf> leaves = new ArrayList<>(id.length);
        int account = 0;
        for (int i = 0; i < id.length; i++) {
            byte[] accountHash = null;
            if (accountFlags.charAt(i) == '1') {
                if (account + HASH > accountHashes.length) {
                    throw new IllegalArgumentException("an entry batch has fewer account hashes than its flags say");
                }
                accountHash = Arrays.copyOfRange(accountHashes, account, account + HASH);
                account += HASH;
            }
            leaves.add(new Leaf(id[i], Arrays.copyOfRange(leafHashes, i * HASH, (i + 1) * HASH), accountHash));
        }
        return leaves;
    }

    /** The entry with this id, if the batch holds it. */
    Optional<LogEntries.Encoded> entry(String id) {
        return entries.stream().filter(e -> e.factId().equals(id)).findFirst();
    }
}
