package io.meridian.routing;

import io.meridian.web.Ids;

import java.util.List;
import java.util.Map;

/**
 * A fast answer to "would Bean Validation find nothing wrong with this plan request?", written out
 * from the constraints on {@link RoutingPlanRequest}. Bean Validation walked every constraint of every
 * participant reflectively and was the largest cost of a small plan after the engine; a valid request
 * now skips it. Anything this check does not accept goes to Bean Validation, which names the errors,
 * so the check only has to be exact in one direction: it must never accept what Bean Validation
 * refuses. {@code PlanRequestCheckTest} compares the two on generated valid and invalid requests.
 */
public final class PlanRequestCheck {

    private PlanRequestCheck() {
    }

    static boolean certainlyValid(RoutingPlanRequest r) {
        if (!optionalId(r.meetingId()) || !optionalId(r.accountId())) {
            return false;
        }
        List<RoutingPlanRequest.Participant> participants = r.participants();
        if (participants == null || participants.isEmpty()) {
            return false;
        }
        if (!regions(r.blockedRegions()) || !regions(r.allowedRegions())) {
            return false;
        }
        for (int i = 0, n = participants.size(); i < n; i++) {
            if (!participant(participants.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code @Pattern(Ids.PATTERN)}, null allowed. */
    private static boolean optionalId(String id) {
        return id == null || Ids.valid(id);
    }

    /** {@code @Size(max = 64) List<@NotBlank @Size(max = 16) String>}, null allowed. */
    private static boolean regions(List<String> codes) {
        if (codes == null) {
            return true;
        }
        if (codes.size() > 64) {
            return false;
        }
        for (String code : codes) {
            if (!notBlank(code) || code.length() > 16) {
                return false;
            }
        }
        return true;
    }

    /**
     * The same answer for one participant on its own (a live-meeting join's body): true only when
     * Bean Validation would find nothing wrong with it.
     */
    public static boolean certainlyValid(RoutingPlanRequest.Participant p) {
        return participant(p);
    }

    private static boolean participant(RoutingPlanRequest.Participant p) {
        if (p == null) {
            return false;
        }
        String id = p.id();
        if (!notBlank(id) || id.length() > 128) {
            return false;
        }
        RoutingPlanRequest.Location l = p.location();
        if (l == null) {
            return false;
        }
        if (l.country() != null && l.country().length() != 2) {
            return false;
        }
        if (!within(l.latitude(), -90, 90) || !within(l.longitude(), -180, 180)) {
            return false;
        }
        Map<String, Double> rtts = p.measuredRttMs();
        if (rtts != null) {
            if (rtts.size() > 256) {
                return false;
            }
            for (Map.Entry<String, Double> e : rtts.entrySet()) {
                if (!notBlank(e.getKey()) || e.getKey().length() > 63 || e.getValue() == null
                        || !within(e.getValue(), 0, 60000)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code @DecimalMin(min) @DecimalMax(max)}, null allowed; NaN and infinities are left to Bean Validation. */
    private static boolean within(Double v, double min, double max) {
        return v == null || (v >= min && v <= max);
    }

    /** {@code @NotBlank}: not null, and something left after trimming (as Hibernate Validator trims). */
    private static boolean notBlank(String s) {
        return s != null && !s.trim().isEmpty();
    }
}
