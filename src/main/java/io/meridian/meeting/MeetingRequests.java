package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.core.Participant;
import io.meridian.core.RegionPolicy;
import io.meridian.routing.ParticipantMapper;
import io.meridian.routing.PlanRequestCheck;
import io.meridian.routing.PolicyMapper;
import io.meridian.routing.RoutingPlanRequest;
import io.meridian.web.Ids;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.RequestValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Live-meeting requests checked and turned into core values, by the same rules as plans: a joining
 * participant that a plan would refuse gets the same 400, a region list the same checks.
 */
@ApplicationScoped
public class MeetingRequests {

    private final RequestValidation validation;
    private final ParticipantMapper participants;
    private final PolicyMapper policies;
    private final DataCenterModel model;

    @Inject
    public MeetingRequests(RequestValidation validation, ParticipantMapper participants, PolicyMapper policies,
                           DataCenterModel model) {
        this.validation = validation;
        this.participants = participants;
        this.policies = policies;
        this.model = model;
    }

    /** Whether the policy leaves some region with a data center (else every join would be refused 422). */
    public boolean permitsSomeRegion(RegionPolicy policy) {
        return model.dataCenters().stream().anyMatch(dc -> policy.permits(dc.region()));
    }

    /** Whether a path id can name a meeting at all (a ULID as the service makes them). */
    public static boolean meetingId(String id) {
        return Ids.validUlid(id);
    }

    /**
     * The effective policy of a meeting to create.
     *
     * @throws ProblemException 400 for every invalid field
     */
    public PolicyMapper.Effective policy(MeetingViews.CreateRequest body) {
        validation.require(body);
        List<Problem.FieldError> errors = new ArrayList<>();
        RegionPolicy.Restriction restriction = policies.requestRestriction(body.blockedRegions(),
                body.allowedRegions(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return policies.effective(restriction, body.accountId());
    }

    /** The request's own restriction of a valid create body (kept with the meeting). */
    public RegionPolicy.Restriction restriction(MeetingViews.CreateRequest body) {
        return policies.requestRestriction(body.blockedRegions(), body.allowedRegions(), new ArrayList<>());
    }

    /**
     * A joining participant, checked as a plan's participant is.
     *
     * @throws ProblemException 400 for every invalid field
     */
    public Participant participant(RoutingPlanRequest.Participant body) {
        if (body == null || !PlanRequestCheck.certainlyValid(body)) {
            // Bean Validation names every error; a body the fast check accepts has none
            validation.require(body);
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        var participant = participants.participant(body, errors);
        if (!errors.isEmpty() || participant.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        return participant.get();
    }

    /**
     * A participant id in a path, by the rule of the join body's {@code id}.
     *
     * @throws ProblemException 400 when no participant could have it
     */
    public static void requireParticipantId(String id) {
        if (id == null || id.isBlank() || id.length() > 128 || id.chars().anyMatch(ch -> ch <= 0x1F || ch == 0x7F)) {
            throw ProblemException.invalid("participantId", "must be 1-128 characters without control characters");
        }
    }
}
