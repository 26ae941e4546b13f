package io.meridian.routing;

import io.meridian.core.Participant;
import io.meridian.core.RegionPolicy;
import io.meridian.core.Strategy;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import io.meridian.web.RequestValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/** A plan request checked against the contract and the loaded model, and turned into core values. */
@ApplicationScoped
public class PlanRequests {

    /**
     * A valid request as the core sees it.
     *
     * @param policyVersion version of the account's stored policy in {@code policy}, 0 when none applied
     */
    public record Mapped(RoutingPlanRequest request, List<Participant> participants, RegionPolicy policy,
                         long policyVersion, Strategy strategy) {
        public boolean reserving() {
            return Boolean.TRUE.equals(request.reserve());
        }
    }

    private final RoutingConfig config;
    private final RequestValidation validation;
    private final ParticipantMapper participants;
    private final PolicyMapper policies;

    @Inject
    public PlanRequests(RoutingConfig config, RequestValidation validation, ParticipantMapper participants,
                        PolicyMapper policies) {
        this.config = config;
        this.validation = validation;
        this.participants = participants;
        this.policies = policies;
    }

    /**
     * @throws ProblemException 400 for every invalid field (all of them in one answer), 413 for more
     *                          participants than {@code meridian.routing.max-participants}
     */
    public Mapped map(RoutingPlanRequest request) {
        if (request == null) {
            throw ProblemException.invalid("body", "is required: send a JSON object");
        }
        if (request.participants() != null && request.participants().size() > config.maxParticipants()) {
            throw ProblemException.of(ProblemType.TOO_MANY_PARTICIPANTS, "The request lists "
                    + request.participants().size() + " participants; at most " + config.maxParticipants()
                    + " can be routed in one request.");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!PlanRequestCheck.certainlyValid(request)) {
            errors.addAll(validation.errors(request));
            if (!errors.isEmpty()) {
                throw ProblemException.invalid(errors);
            }
        }
        RegionPolicy.Restriction restriction = policies.requestRestriction(request.blockedRegions(),
                request.allowedRegions(), errors);
        List<Participant> mapped = participants.participants(request.participants(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        PolicyMapper.Effective policy = policies.effective(restriction, request.accountId());
        Strategy strategy = request.strategy() == null ? Strategy.AUTO : request.strategy();
        return new Mapped(request, mapped, policy.policy(), policy.version(), strategy);
    }
}
