package io.meridian.routing;

import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingPlan;

import java.util.ArrayList;
import java.util.List;

/** Maps core plans to the response shape; values rounded to 0.1 ms for display. */
public final class PlanResponses {

    private PlanResponses() {
    }

    static RoutingPlanResponse toResponse(String planId, String meetingId, RoutingPlan plan) {
        List<RoutingPlanResponse.AssignmentView> assignments = new ArrayList<>(plan.assignments().size());
        for (RoutingPlan.Assignment a : plan.assignments()) {
            assignments.add(new RoutingPlanResponse.AssignmentView(a.participantId(), a.dataCenter(), a.region(),
                    round(a.rttMs()), a.measured() ? "MEASURED" : "ESTIMATED"));
        }
        return new RoutingPlanResponse(planId, meetingId, plan.strategy(), assignments,
                plan.dataCenters().stream().map(d -> new RoutingPlanResponse.DataCenterUseView(d.id(), d.region(),
                        d.participants(), d.primary())).toList(),
                plan.cascadeLinks().stream().map(l -> new RoutingPlanResponse.CascadeLinkView(l.from(), l.to(),
                        round(l.rttMs()))).toList(),
                plan.regionsUsed(),
                policy(plan.policy()),
                plan.excluded().stream().map(e -> new RoutingPlanResponse.ExclusionView(e.dataCenter(), e.region(),
                        e.reason())).toList(),
                new RoutingPlanResponse.SummaryView(round(plan.summary().maxRttMs()),
                        round(plan.summary().meanRttMs()), round(plan.summary().worstPairLatencyMs())),
                null);
    }

    /** An effective policy as answers show it. */
    public static RoutingPlanResponse.EffectivePolicyView policy(RegionPolicy policy) {
        return new RoutingPlanResponse.EffectivePolicyView(List.copyOf(policy.blockedRegions()),
                policy.allowedRegions().<List<String>>map(List::copyOf).orElse(null), policy.sources());
    }

    /** Milliseconds rounded to 0.1 for display. */
    public static double round(double ms) {
        return Math.round(ms * 10.0) / 10.0;
    }
}
