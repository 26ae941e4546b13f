package io.meridian.ledger;

import io.meridian.core.Admission;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.DataCenterState;
import io.meridian.core.DataCenterStatus;
import io.meridian.db.Pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The places of live meetings inside one transaction of a meeting batch: what the meetings hold,
 * the data centers' exact room under their row locks, and every take and give-back, written at the
 * end in one statement per table. The meeting batch locks its meetings' rows and has their holders
 * read in the same {@link Pipeline} ({@link #read(Pipeline, Collection)}, then {@link #begin}), then
 * calls {@link #lock} (once: every data center the batch may touch, in id order: one round trip), the
 * changes, and {@link #write} into the pipeline of the batch's writes.
 *
 * <p>A meeting created from a reservation holds, on each data center of it, at least the places the
 * reservation had there (its floor): a join takes a reserved place while one is left; a leave below
 * the floor gives the place back to the reservation, so the room stays the meeting's.
 *
 * <p>Two tallies are kept: what changes in the database's counters, and what changes in the places
 * that count (a holder whose lease ran out counts no more already: ending it changes the counters,
 * not the capacity anyone sees). The second is what the capacity view gets after the commit.
 */
public final class LiveTransaction {

    private final Connection c;
    private Instant now;
    private Map<String, LiveSql.HolderRow> pendingRows;
    private Map<String, Map<String, LiveSql.PlaceRow>> pendingPlaces;
    private boolean begun;
    private final DataCenterModel model;
    private final SiteConditions conditions;
    private final Map<String, Holder> holders = new HashMap<>();
    private final Map<String, Holds> counters = new HashMap<>();
    private final Map<String, Holds> counted = new HashMap<>();
    private final Map<String, Holds> held = new HashMap<>();
    private Set<String> locked;
    private CapacitySnapshot base;
    private CapacitySnapshot current;
    private boolean written;

    LiveTransaction(Connection c, Instant now, DataCenterModel model, SiteConditions conditions) {
        this.c = c;
        this.now = now;
        this.model = model;
        this.conditions = conditions;
    }

    private static final class Holder {
        final Instant expiresAt;
        final Optional<String> reservationId;
        final boolean reservationLive;
        final Map<String, Place> places = new TreeMap<>();
        Instant renewedTo;
        boolean ended;

        Holder(Instant expiresAt, Optional<String> reservationId, boolean reservationLive) {
            this.expiresAt = expiresAt;
            this.reservationId = reservationId;
            this.reservationLive = reservationLive;
        }
    }

    private static final class Place {
        int places;
        int floor;
        int reservedLeft;
        boolean changed;
        boolean reservationChanged;

        Place(int places, int floor) {
            this.places = places;
            this.floor = floor;
        }
    }

    /** The instant this transaction works at. */
    public Instant now() {
        return now;
    }

    /**
     * Reads what the given meetings hold; answers those that are holders at all. The caller holds
     * the meetings' row locks, so nobody changes these holders meanwhile.
     */
    public Set<String> read(Collection<String> meetingIds) throws SQLException {
        Pipeline p = Pipeline.on(c);
        read(p, meetingIds);
        p.run();
        return begin(now, null);
    }

    /**
     * Adds the read of what the given meetings hold to {@code p}, after the statements that lock
     * their rows; once {@code p} ran, {@link #begin} finishes it.
     */
    public void read(Pipeline p, Collection<String> meetingIds) {
        if (pendingRows != null) {
            throw new IllegalStateException("holders are read once per transaction");
        }
        pendingRows = new HashMap<>();
        pendingPlaces = new HashMap<>();
        LiveSql.holders(p, meetingIds, pendingRows, pendingPlaces);
    }

    /**
     * After the pipeline of {@link #read(Pipeline, Collection)} ran: sets the instant this
     * transaction works at (the clock after the meetings' locks) and answers the meetings that are
     * holders, among {@code only} when given (those whose rows the caller locked). Reads the places
     * of reservations the holders were created from, when any were.
     */
    public Set<String> begin(Instant at, Set<String> only) throws SQLException {
        if (pendingRows == null || begun) {
            throw new IllegalStateException("read the holders first, once");
        }
        begun = true;
        this.now = at;
        Map<String, LiveSql.HolderRow> rows = pendingRows;
        if (only != null) {
            rows.keySet().retainAll(only);
        }
        Set<String> reservations = new TreeSet<>();
        rows.values().forEach(r -> r.reservationId().ifPresent(reservations::add));
        Map<String, Map<String, Integer>> left = LiveSql.reservationPlaces(c, reservations);
        Set<String> liveReservations = ReservationSql.liveAmong(c, reservations, now);
        for (LiveSql.HolderRow row : rows.values()) {
            Holder h = new Holder(row.expiresAt(), row.reservationId(),
                    row.reservationId().map(liveReservations::contains).orElse(false));
            pendingPlaces.getOrDefault(row.meetingId(), Map.of()).forEach((dc, p) ->
                    h.places.put(dc, new Place(p.places(), p.floor())));
            row.reservationId().ifPresent(r -> left.getOrDefault(r, Map.of()).forEach((dc, n) ->
                    h.places.computeIfAbsent(dc, k -> new Place(0, 0)).reservedLeft = n));
            holders.put(row.meetingId(), h);
        }
        return rows.keySet();
    }

    private Holder holder(String meetingId) {
        Holder h = holders.get(meetingId);
        if (h == null || h.ended) {
            throw new IllegalStateException("meeting " + meetingId + " holds nothing in this transaction");
        }
        return h;
    }

    /** Whether the meeting's lease ran out (its places count no more; it is to be ended). */
    public boolean expired(String meetingId) {
        return !holder(meetingId).expiresAt.isAfter(now);
    }

    /** When the meeting's lease runs out, as renewed in this transaction. */
    public Instant expiresAt(String meetingId) {
        Holder h = holder(meetingId);
        return h.renewedTo != null ? h.renewedTo : h.expiresAt;
    }

    /** Places the meeting's reservation still keeps for it, per data center (only those &gt; 0). */
    public Map<String, Integer> reservedPlaces(String meetingId) {
        Map<String, Integer> left = new TreeMap<>();
        Holder h = holder(meetingId);
        if (h.reservationLive) {
            h.places.forEach((dc, p) -> {
                if (p.reservedLeft > 0) {
                    left.put(dc, p.reservedLeft);
                }
            });
        }
        return left;
    }

    /** Data centers on which the meeting holds anything (participants' places or reserved ones). */
    public Set<String> heldOn(String meetingId) {
        Set<String> dcs = new TreeSet<>();
        holder(meetingId).places.forEach((dc, p) -> {
            if (p.places > 0 || p.reservedLeft > 0) {
                dcs.add(dc);
            }
        });
        return dcs;
    }

    /**
     * Locks the rows of every data center this transaction may take or give places on, in id order,
     * and reads their exact state. Once per transaction, after the meetings' rows.
     */
    public void lock(Collection<String> dataCenterIds) throws SQLException {
        if (locked != null) {
            throw new IllegalStateException("data centers are locked once per transaction, in id order");
        }
        locked = new TreeSet<>(dataCenterIds);
        // one round trip: the locks, then (statements of their own, see Sites.readLocked) the rows
        Pipeline p = Pipeline.on(c);
        Sites.lock(p, locked);
        Sites.readLocked(p, locked, now, held);
        SiteConditions.Pending stored = conditions.lockedSnapshot(p, locked, now);
        p.run();
        base = stored.snapshot(held);
        current = null;
    }

    /**
     * Capacity as this transaction sees it: exact for the locked data centers, with every change made
     * so far; a data center not locked takes nobody (it shows as down).
     */
    public CapacitySnapshot snapshot() {
        requireLocked();
        if (current == null) {
            Map<String, DataCenterState> states = new HashMap<>();
            for (int i = 0; i < model.size(); i++) {
                String id = model.dataCenter(i).id();
                if (locked.contains(id)) {
                    Holds h = held.getOrDefault(id, Holds.NONE);
                    states.put(id, base.state(i).withHolds(h.reserved(), h.live(), h.liveAtReport()));
                } else {
                    states.put(id, new DataCenterState(DataCenterStatus.DOWN, 0, 0, Optional.empty(), false));
                }
            }
            current = new CapacitySnapshot(model, base.maxUtilization(), states);
        }
        return current;
    }

    /**
     * Takes one place on {@code dataCenter} for a participant of the meeting: one of the places its
     * reservation keeps there ({@code reservedPlace}, the data center's room unchanged), else one
     * place of room, admitted by the admission rule. False (nothing taken) when there is no room.
     */
    public boolean take(String meetingId, String dataCenter, boolean reservedPlace) {
        Holder h = holder(meetingId);
        requireLocked(dataCenter);
        Place p = h.places.computeIfAbsent(dataCenter, k -> new Place(0, 0));
        if (reservedPlace) {
            if (!h.reservationLive || p.reservedLeft <= 0) {
                return false;
            }
            p.reservedLeft--;
            p.reservationChanged = true;
            change(dataCenter, new Holds(-1, 1, 0), true);
        } else {
            Map<String, Integer> room = Map.of(dataCenter, Admission.room(snapshot(), model.indexOf(dataCenter)));
            if (!Admission.admit(List.of(Map.of(dataCenter, 1)), room).admitted(0)) {
                return false;
            }
            change(dataCenter, Holds.live(1), true);
        }
        p.places++;
        p.changed = true;
        return true;
    }

    /**
     * Gives back the place of a participant that left {@code dataCenter}: to the meeting's reservation
     * while the meeting holds no more than the reservation's floor there, else to the data center.
     *
     * @return whether the place went back to the reservation
     */
    public boolean giveBack(String meetingId, String dataCenter) {
        Holder h = holder(meetingId);
        requireLocked(dataCenter);
        Place p = h.places.get(dataCenter);
        if (p == null || p.places <= 0) {
            throw new IllegalStateException("meeting " + meetingId + " holds no place on " + dataCenter);
        }
        p.places--;
        p.changed = true;
        boolean toReservation = h.reservationLive && p.places < p.floor;
        if (toReservation) {
            p.reservedLeft++;
            p.reservationChanged = true;
            change(dataCenter, new Holds(1, -1, 0), !expiredHolder(h));
        } else {
            change(dataCenter, Holds.live(-1), !expiredHolder(h));
        }
        return toReservation;
    }

    /** Renews the meeting's lease (and its reservation's) to {@code expires}. */
    public void renew(String meetingId, Instant expires) {
        holder(meetingId).renewedTo = expires;
    }

    /**
     * Ends the meeting's hold: every place it holds, and what its reservation still keeps, go back at
     * once. Answers the participants' places it held per data center.
     */
    public Map<String, Integer> end(String meetingId) {
        Holder h = holder(meetingId);
        Map<String, Integer> freed = new TreeMap<>();
        boolean counts = !expiredHolder(h);
        h.places.forEach((dc, p) -> {
            int reserved = h.reservationId.isPresent() ? p.reservedLeft : 0;
            if (p.places > 0 || reserved > 0) {
                requireLocked(dc);
                freed.put(dc, p.places);
                counters.merge(dc, new Holds(-reserved, -p.places, 0), Holds::plus);
                Holds visible = new Holds(h.reservationLive ? -reserved : 0, counts ? -p.places : 0, 0);
                counted.merge(dc, visible, Holds::plus);
                held.computeIfPresent(dc, (k, v) -> v.plus(visible).atLeastZero());
            }
        });
        h.ended = true;
        current = null;
        return freed;
    }

    private boolean expiredHolder(Holder h) {
        return !h.expiresAt.isAfter(now) && h.renewedTo == null;
    }

    private void change(String dataCenter, Holds change, boolean visible) {
        counters.merge(dataCenter, change, Holds::plus);
        if (visible) {
            counted.merge(dataCenter, change, Holds::plus);
            held.merge(dataCenter, change, (a, b) -> a.plus(b).atLeastZero());
            current = null;
        }
    }

    private void requireLocked() {
        if (locked == null) {
            throw new IllegalStateException("lock the data centers first");
        }
    }

    private void requireLocked(String dataCenter) {
        requireLocked();
        if (!locked.contains(dataCenter)) {
            throw new IllegalStateException(dataCenter + " was not locked by this transaction");
        }
    }

    /**
     * Adds the statements that write every change to {@code p}: place rows, reservations' places and
     * leases, ended holders, the data centers' counters and journal; and gives the capacity view its
     * change through {@code answers}. The caller runs {@code p} as the transaction's last writes.
     */
    public void write(Pipeline p, Answers answers) {
        if (written) {
            throw new IllegalStateException("written already");
        }
        written = true;
        List<LiveSql.PlaceWrite> places = new ArrayList<>();
        Map<String, Map<String, Integer>> reservationLeft = new TreeMap<>();
        Map<String, Instant> holderLeases = new TreeMap<>();
        Map<String, Instant> reservationLeases = new TreeMap<>();
        Set<String> ended = new TreeSet<>();
        Set<String> endedReservations = new TreeSet<>();
        for (Map.Entry<String, Holder> e : new TreeMap<>(holders).entrySet()) {
            String id = e.getKey();
            Holder h = e.getValue();
            if (h.ended) {
                ended.add(id);
                h.reservationId.ifPresent(endedReservations::add);
                continue;
            }
            h.places.forEach((dc, place) -> {
                if (place.changed) {
                    places.add(new LiveSql.PlaceWrite(id, dc, place.places, place.floor));
                }
                if (place.reservationChanged) {
                    reservationLeft.computeIfAbsent(h.reservationId.orElseThrow(), k -> new TreeMap<>())
                            .put(dc, place.reservedLeft);
                }
            });
            if (h.renewedTo != null) {
                holderLeases.put(id, h.renewedTo);
                if (h.reservationLive) {
                    reservationLeases.put(h.reservationId.orElseThrow(), h.renewedTo);
                }
            }
        }
        LiveSql.writePlaces(p, places);
        LiveSql.writeReservationPlaces(p, reservationLeft);
        LiveSql.renew(p, holderLeases, reservationLeases);
        LiveSql.delete(p, ended, endedReservations);
        Sites.add(p, counters, now);
        counted.forEach(answers::change);
    }
}
