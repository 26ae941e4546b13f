package io.meridian.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Participants that share a location (the same coordinates, bit for bit) and the same measurements
 * are interchangeable for routing: one group each, numbered in order of first appearance, so the
 * cost of planning grows with distinct locations, not with participants. An open-addressing table
 * on the coordinates' bits, without a key object or a boxed number per participant.
 */
final class ParticipantGroups {

    /** Group of each participant, by position in the meeting. */
    final int[] groupOf;
    /** Participants in each group. */
    final int[] sizes;
    /** The first participant of each group. */
    final List<Participant> representatives;

    private ParticipantGroups(int[] groupOf, int[] sizes, List<Participant> representatives) {
        this.groupOf = groupOf;
        this.sizes = sizes;
        this.representatives = representatives;
    }

    static ParticipantGroups of(List<Participant> participants) {
        int n = participants.size();
        int[] table = new int[Integer.highestOneBit(Math.max(2, 2 * n - 1)) << 1]; // group + 1; 0 = empty
        int mask = table.length - 1;
        int[] groupOf = new int[n];
        int[] sizes = new int[Math.min(n, 64)];
        List<Participant> representatives = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Participant p = participants.get(i);
            long lat = Double.doubleToLongBits(p.location().latitude());
            long lon = Double.doubleToLongBits(p.location().longitude());
            int slot = hash(lat, lon, p) & mask;
            int g;
            while (true) {
                int entry = table[slot];
                if (entry == 0) {
                    g = representatives.size();
                    table[slot] = g + 1;
                    representatives.add(p);
                    if (g == sizes.length) {
                        sizes = Arrays.copyOf(sizes, Math.min(n, 2 * g));
                    }
                    break;
                }
                Participant r = representatives.get(entry - 1);
                if (Double.doubleToLongBits(r.location().latitude()) == lat
                        && Double.doubleToLongBits(r.location().longitude()) == lon
                        && r.measuredRttMs().equals(p.measuredRttMs())) {
                    g = entry - 1;
                    break;
                }
                slot = (slot + 1) & mask;
            }
            sizes[g]++;
            groupOf[i] = g;
        }
        return new ParticipantGroups(groupOf, Arrays.copyOf(sizes, representatives.size()), representatives);
    }

    private static int hash(long lat, long lon, Participant p) {
        long h = lat * 0x9E3779B97F4A7C15L + Long.rotateLeft(lon * 0xC2B2AE3D27D4EB4FL, 31);
        if (!p.measuredRttMs().isEmpty()) {
            h += p.measuredRttMs().hashCode();
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
