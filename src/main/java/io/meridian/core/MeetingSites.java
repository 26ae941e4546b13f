package io.meridian.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What join placement needs to know about a live meeting, independent of its size: one row per
 * data center the meeting uses or holds places on, and the cascade tree it currently runs on.
 *
 * <p>Sites are kept sorted by data-center id (the model's order), whatever order they were given in,
 * so every computation over them runs in one order and the same meeting always gets the same
 * answer. A data center appears at most once.
 *
 * <p>The cascade is sticky: it is the tree the meeting's media servers are linked by, and it changes
 * only when a data center is opened or emptied ({@link #withJoin} and {@link #withLeave} drop it
 * then). An empty {@code cascade} means "not fixed yet": {@link MeetingTopology#of} then computes the
 * minimum-worst-pair tree from the aggregates, and the caller should store
 * {@link MeetingTopology#cascade()} so that later joins into the meeting's data centers do not
 * re-link it. A given cascade must span exactly the sites that have participants.
 *
 * @param sites   one row per data center, any order (kept sorted by id)
 * @param cascade the tree over the sites with participants, when fixed
 */
public record MeetingSites(List<Site> sites, Optional<Cascade> cascade) {

    /** A meeting nobody has joined and that holds no places. */
    public static final MeetingSites EMPTY = new MeetingSites(List.of(), Optional.empty());

    public MeetingSites {
        List<Site> sorted = new ArrayList<>(Objects.requireNonNull(sites, "sites"));
        sorted.sort(Comparator.comparing(Site::dataCenter));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).dataCenter().equals(sorted.get(i - 1).dataCenter())) {
                throw new IllegalArgumentException("data center " + sorted.get(i).dataCenter() + " appears twice");
            }
        }
        sites = List.copyOf(sorted);
        Objects.requireNonNull(cascade, "cascade");
        cascade.ifPresent(c -> c.requireSpans(usedIds(sorted)));
    }

    /** Sites whose cascade is computed from the aggregates (see the class comment). */
    public MeetingSites(List<Site> sites) {
        this(sites, Optional.empty());
    }

    private static Set<String> usedIds(List<Site> sites) {
        Set<String> used = new HashSet<>();
        for (Site s : sites) {
            if (s.participants() > 0) {
                used.add(s.dataCenter());
            }
        }
        return used;
    }

    /** The row of one data center, if the meeting has one. */
    public Optional<Site> site(String dataCenter) {
        for (Site s : sites) {
            if (s.dataCenter().equals(dataCenter)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The sites with participants, sorted by id. */
    public List<Site> used() {
        List<Site> used = new ArrayList<>(sites.size());
        for (Site s : sites) {
            if (s.participants() > 0) {
                used.add(s);
            }
        }
        return used;
    }

    /** Participants in the meeting. */
    public int participants() {
        int n = 0;
        for (Site s : sites) {
            n += s.participants();
        }
        return n;
    }

    /** Places held through a reservation and not yet taken, by data-center id (only those &gt; 0). */
    public Map<String, Integer> reservedPlaces() {
        Map<String, Integer> held = new TreeMap<>();
        for (Site s : sites) {
            if (s.reservedPlaces() > 0) {
                held.put(s.dataCenter(), s.reservedPlaces());
            }
        }
        return held;
    }

    /** The same sites with this cascade (as {@link MeetingTopology#cascade()} computed it). */
    public MeetingSites withCascade(Cascade fixed) {
        return new MeetingSites(sites, Optional.of(fixed));
    }

    /**
     * The meeting after one participant with access RTT {@code rttMs} joined {@code dataCenter}: its
     * site counts one more participant and adds the RTT to its sum and top two; a reserved place
     * there, if any, is the one the participant takes. Every other site is unchanged. A join that
     * opens a data center drops the cascade (it is to be recomputed); any other keeps it.
     */
    public MeetingSites withJoin(String dataCenter, double rttMs) {
        requireRtt(rttMs);
        Optional<Site> before = site(dataCenter);
        Site old = before.orElse(new Site(dataCenter, 0, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0));
        double top1 = old.top1RttMs();
        double top2 = old.top2RttMs();
        if (rttMs >= top1) {
            top2 = top1;
            top1 = rttMs;
        } else if (rttMs > top2) {
            top2 = rttMs;
        }
        Site joined = new Site(dataCenter, old.participants() + 1, old.rttSumMs() + rttMs, top1, top2,
                Math.max(0, old.reservedPlaces() - 1));
        return new MeetingSites(replace(dataCenter, Optional.of(joined)),
                old.participants() == 0 ? Optional.empty() : cascade);
    }

    /**
     * The meeting after one participant with access RTT {@code rttMs} left {@code dataCenter}.
     * {@code newTop1} and {@code newTop2} are the largest and second-largest RTTs among the
     * participants still on that data center after the leave, counted with multiplicity (two
     * remaining participants at 20 ms give 20 and 20), {@code Double.NEGATIVE_INFINITY} where fewer
     * than one, resp. two, remain: the aggregates cannot know them, the caller reads them from its
     * index of participants. The site's reserved places are unchanged; a site left with neither
     * participants nor reserved places is removed. A leave that empties a data center drops the
     * cascade (it is to be recomputed); any other keeps it.
     *
     * @throws IllegalArgumentException when the meeting has nobody on {@code dataCenter}
     */
    public MeetingSites withLeave(String dataCenter, double rttMs, double newTop1, double newTop2) {
        requireRtt(rttMs);
        Site old = site(dataCenter).filter(s -> s.participants() > 0).orElseThrow(() ->
                new IllegalArgumentException("nobody is on " + dataCenter));
        int left = old.participants() - 1;
        Optional<Site> after;
        if (left == 0) {
            after = old.reservedPlaces() == 0 ? Optional.empty() : Optional.of(new Site(dataCenter, 0, 0,
                    Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, old.reservedPlaces()));
        } else {
            after = Optional.of(new Site(dataCenter, left, Math.max(0, old.rttSumMs() - rttMs), newTop1, newTop2,
                    old.reservedPlaces()));
        }
        return new MeetingSites(replace(dataCenter, after), left == 0 ? Optional.empty() : cascade);
    }

    private List<Site> replace(String dataCenter, Optional<Site> with) {
        List<Site> next = new ArrayList<>(sites.size() + 1);
        for (Site s : sites) {
            if (!s.dataCenter().equals(dataCenter)) {
                next.add(s);
            }
        }
        with.ifPresent(next::add);
        return next;
    }

    private static void requireRtt(double rttMs) {
        if (!(rttMs >= 0) || !Double.isFinite(rttMs)) {
            throw new IllegalArgumentException("an RTT must be a non-negative number of ms");
        }
    }

    /**
     * The aggregates of one data center in one meeting.
     *
     * @param dataCenter     data-center id
     * @param participants   participants of the meeting on it (&ge; 0)
     * @param rttSumMs       sum of their access RTTs (0 when there are none)
     * @param top1RttMs      the largest of their RTTs; {@code NEGATIVE_INFINITY} when there are none
     * @param top2RttMs      the second largest, counted with multiplicity; {@code NEGATIVE_INFINITY}
     *                       when fewer than two
     * @param reservedPlaces places the meeting holds on this data center through the reservation it
     *                       was created from and that no participant has taken yet: usable by this
     *                       meeting even when the data center's headroom is 0
     */
    public record Site(String dataCenter, int participants, double rttSumMs, double top1RttMs, double top2RttMs,
                       int reservedPlaces) {
        public Site {
            Objects.requireNonNull(dataCenter, "dataCenter");
            if (participants < 0 || reservedPlaces < 0) {
                throw new IllegalArgumentException("participants and reserved places cannot be negative");
            }
            double none = Double.NEGATIVE_INFINITY;
            if (participants == 0) {
                if (top1RttMs != none || top2RttMs != none) {
                    throw new IllegalArgumentException("a site without participants has no top RTTs");
                }
                rttSumMs = 0;
            } else {
                if (!(top1RttMs >= 0) || !Double.isFinite(top1RttMs) || !(rttSumMs >= 0) || !Double.isFinite(rttSumMs)) {
                    throw new IllegalArgumentException("a site with participants needs finite, non-negative RTTs");
                }
                if (participants == 1 ? top2RttMs != none
                        : !(top2RttMs >= 0) || !Double.isFinite(top2RttMs) || top2RttMs > top1RttMs) {
                    throw new IllegalArgumentException("the second RTT of " + dataCenter
                            + " must be -infinity for one participant, else between 0 and the first");
                }
            }
        }

        /** The aggregates of participants with these RTTs (any order) on one data center. */
        public static Site of(String dataCenter, Collection<Double> rttsMs, int reservedPlaces) {
            double sum = 0;
            double top1 = Double.NEGATIVE_INFINITY;
            double top2 = Double.NEGATIVE_INFINITY;
            for (double r : rttsMs) {
                requireRtt(r);
                sum += r;
                if (r >= top1) {
                    top2 = top1;
                    top1 = r;
                } else if (r > top2) {
                    top2 = r;
                }
            }
            return new Site(dataCenter, rttsMs.size(), sum, top1, top2, reservedPlaces);
        }

        /** The worst latency between two participants of this site, or -infinity below two. */
        public double pairSumMs() {
            return participants >= 2 ? top1RttMs + top2RttMs : Double.NEGATIVE_INFINITY;
        }
    }

    /**
     * A cascade tree over a meeting's data centers.
     *
     * @param primary the primary data center (a star's hub, a double star's first hub)
     * @param links   the tree's links, one fewer than the data centers it spans
     */
    public record Cascade(String primary, List<Link> links) {
        public Cascade {
            Objects.requireNonNull(primary, "primary");
            links = List.copyOf(links);
        }

        /** Checks that this is a tree spanning exactly {@code ids}, with its primary among them. */
        void requireSpans(Set<String> ids) {
            if (!ids.contains(primary) || links.size() != ids.size() - 1) {
                throw new IllegalArgumentException("the cascade must be a tree over the data centers with participants "
                        + ids + ", rooted at one of them");
            }
            Map<String, List<String>> next = new HashMap<>();
            for (Link l : links) {
                if (!ids.contains(l.from()) || !ids.contains(l.to()) || l.from().equals(l.to())) {
                    throw new IllegalArgumentException("cascade link " + l + " must join two data centers with participants");
                }
                next.computeIfAbsent(l.from(), k -> new ArrayList<>()).add(l.to());
                next.computeIfAbsent(l.to(), k -> new ArrayList<>()).add(l.from());
            }
            Set<String> seen = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>(List.of(primary));
            while (!todo.isEmpty()) {
                String at = todo.pop();
                if (seen.add(at)) {
                    todo.addAll(next.getOrDefault(at, List.of()));
                }
            }
            if (!seen.equals(ids)) {
                throw new IllegalArgumentException("the cascade does not connect every data center with participants");
            }
        }
    }

    /** A cascade link between two data centers, by id. */
    public record Link(String from, String to) {
        public Link {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }
}
