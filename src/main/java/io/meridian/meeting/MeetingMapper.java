package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.core.MeetingTopology;
import io.meridian.routing.PlanResponses;
import io.meridian.routing.RoutingPlanResponse;

import java.time.Instant;
import java.util.List;

/** Maps meetings to their views; latencies rounded to 0.1 ms as in plans. */
final class MeetingMapper {

    private MeetingMapper() {
    }

    static MeetingViews.MeetingView meeting(MeetingRows.Meeting m, MeetingTopology t, int participants,
                                            Instant expiresAt) {
        return new MeetingViews.MeetingView(m.id(), m.label(), m.accountId(), PlanResponses.policy(m.policy()),
                m.createdAt(), expiresAt, m.reservationId().orElse(null), participants, null,
                t.dataCenters().stream().map(d -> new RoutingPlanResponse.DataCenterUseView(d.id(), d.region(),
                        d.participants(), d.primary())).toList(),
                t.cascadeLinks().stream().map(l -> new RoutingPlanResponse.CascadeLinkView(l.from(), l.to(),
                        PlanResponses.round(l.rttMs()))).toList(),
                t.regionsUsed(),
                new RoutingPlanResponse.SummaryView(PlanResponses.round(t.summary().maxRttMs()),
                        PlanResponses.round(t.summary().meanRttMs()),
                        PlanResponses.round(t.summary().worstPairLatencyMs())));
    }

    static MeetingViews.ParticipantView participant(MeetingRows.Present p, DataCenterModel model) {
        return new MeetingViews.ParticipantView(p.participantId(), p.dataCenter(), region(p.dataCenter(), model),
                PlanResponses.round(p.rttMs()), source(p.measured()), p.joinedAt());
    }

    static List<MeetingViews.ParticipantView> participants(List<MeetingRows.Present> all, DataCenterModel model) {
        return all.stream().map(p -> participant(p, model)).toList();
    }

    static MeetingViews.JoinView join(MeetingRows.Present p, boolean opened, boolean reservedPlace,
                                      MeetingViews.MeetingView meeting, DataCenterModel model) {
        return new MeetingViews.JoinView(p.participantId(), p.dataCenter(), region(p.dataCenter(), model),
                PlanResponses.round(p.rttMs()), source(p.measured()), opened, reservedPlace, p.joinedAt(), meeting);
    }

    private static String source(boolean measured) {
        return measured ? "MEASURED" : "ESTIMATED";
    }

    private static String region(String dataCenter, DataCenterModel model) {
        int i = model.indexOf(dataCenter);
        return i < 0 ? null : model.dataCenter(i).region();
    }
}
