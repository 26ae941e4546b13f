package io.meridian.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.catalog.CapacityView;
import io.meridian.catalog.CountryDirectory;
import io.meridian.catalog.LiveCapacityView;
import io.meridian.catalog.RegionCodes;
import io.meridian.core.CapacitySnapshot;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GeoPoint;
import io.meridian.core.Participant;
import io.meridian.core.RegionPolicy;
import io.meridian.core.RoutingEngine;
import io.meridian.core.RoutingOptions;
import io.meridian.core.RoutingOutcome;
import io.meridian.core.RoutingPlan;
import io.meridian.core.Strategy;
import io.meridian.policy.RegionPolicyService;
import io.meridian.records.PlanIds;
import io.meridian.records.RecordLog;
import io.meridian.records.RoutingRecord;
import io.meridian.records.RoutingRecords;
import io.meridian.reservation.IdempotencyStore;
import io.meridian.reservation.ReservationService;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import io.meridian.web.RequestValidation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * Adapter between the HTTP contract and the routing core: validates a request against the loaded
 * model, turns it into core values, runs the engine on the current capacity snapshot and maps the
 * outcome back. Holds no routing logic of its own.
 */
@ApplicationScoped
public class RoutingService {


    private final DataCenterModel model;
    private final CountryDirectory countries;
    private final CapacityView capacity;
    private final RoutingConfig config;
    private final RequestValidation validation;
    private final RoutingEngine engine;
    private final RoutingOptions options;
    private final RegionCodes regionCodes;
    private final RoutingMetrics metrics;
    private final RegionPolicyService policies;
    private final ReservationService reservations;
    private final IdempotencyStore idempotency;
    private final LiveCapacityView capacityView;
    private final ObjectMapper mapper;
    private final RoutingRecords records;

    @Inject
    public RoutingService(DataCenterModel model, CountryDirectory countries, LiveCapacityView capacity,
                          RoutingConfig config, RequestValidation validation, RoutingEngine engine,
                          RoutingOptions options, RoutingMetrics metrics,
                          RegionPolicyService policies, ReservationService reservations, IdempotencyStore idempotency,
                          ObjectMapper mapper, RegionCodes regionCodes, RoutingRecords records) {
        this.records = records;
        this.metrics = metrics;
        this.policies = policies;
        this.reservations = reservations;
        this.idempotency = idempotency;
        this.capacityView = capacity;
        this.mapper = mapper;
        this.model = model;
        this.countries = countries;
        this.capacity = capacity;
        this.config = config;
        this.validation = validation;
        this.engine = engine;
        this.options = options;
        this.regionCodes = regionCodes;
    }

    /** The routing decision of one request, with what the metrics need to know. */
    public record Decision(RoutingOutcome outcome, RoutingPlanResponse response) {
    }

    /**
     * @throws ProblemException for every invalid request (400, 413) and for 422 / 503 outcomes
     */
    public Decision route(RoutingPlanRequest request, long nowMillis, Caller caller) {
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
        SortedSet<String> blocked = regionCodes.parse("blockedRegions", request.blockedRegions(), errors);
        SortedSet<String> allowed = request.allowedRegions() == null ? null
                : regionCodes.parse("allowedRegions", request.allowedRegions(), errors);
        List<Participant> participants = participants(request.participants(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        List<RegionPolicy.Restriction> restrictions = new ArrayList<>(2);
        restrictions.add(new RegionPolicy.Restriction("request", blocked, Optional.ofNullable(allowed)));
        long policyVersion = 0;
        if (request.accountId() != null) {
            requireWorkerThread("reading the account's policy");
            Optional<RegionPolicyService.Versioned> account = policies.versionedRestrictionFor(request.accountId());
            if (account.isPresent()) {
                restrictions.add(account.get().restriction());
                policyVersion = account.get().version();
            }
        }
        // a request can only narrow the account's policy: blocked lists unite, allow-lists intersect
        RegionPolicy policy = RegionPolicy.merge(restrictions);
        Strategy strategy = request.strategy() == null ? Strategy.AUTO : request.strategy();
        if (Boolean.TRUE.equals(request.reserve())) {
            requireWorkerThread("reserving");
            return reserve(request, participants, policy, policyVersion, strategy, nowMillis, caller);
        }
        RoutingOutcome outcome = engine.plan(participants, policy, strategy, options, capacity.snapshot());
        metrics.decision(outcome);
        if (outcome instanceof RoutingOutcome.Routed routed) {
            String planId = PlanIds.next(nowMillis);
            Optional<RecordLog.Receipt> receipt = records.record(RoutingRecord.of(planId, nowMillis,
                    request.accountId(), request.meetingId(), routed.plan(), null, policyVersion));
            return new Decision(outcome, PlanMapper.toResponse(planId, request.meetingId(), routed.plan())
                    .withReceipt(receipt.map(RoutingPlanResponse.ReceiptView::of).orElse(null)));
        }
        throw refusal(outcome);
    }

    /**
     * The resource answers small plans on the HTTP event loop and sends everything that waits for the
     * database to a worker thread; this fails loudly if that split ever breaks, instead of stalling
     * every connection of the event loop.
     */
    private static void requireWorkerThread(String what) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + " waits for the database and must not run on the event loop");
        }
    }

    /** Who is asking, and how to recognise a retry of a reserving request. */
    public record Caller(String name, Optional<String> idempotencyKey, String requestHash) {
    }

    /**
     * Plans on the snapshot, then holds the plan in one transaction; when another request took the
     * room first, re-plans on fresh state, at most {@code meridian.reservation.max-attempts} times.
     */
    private Decision reserve(RoutingPlanRequest request, List<Participant> participants, RegionPolicy policy,
                             long policyVersion, Strategy strategy, long nowMillis, Caller caller) {
        Optional<String> key = caller.idempotencyKey();
        if (key.isPresent()) {
            Optional<Decision> replay = replay(caller);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        CapacitySnapshot snapshot = capacity.snapshot();
        int shortfall = 0;
        for (int attempt = 1; attempt <= reservations.maxAttempts(); attempt++) {
            RoutingOutcome outcome = engine.plan(participants, policy, strategy, options, snapshot);
            if (!(outcome instanceof RoutingOutcome.Routed routed)) {
                metrics.decision(outcome);
                throw refusal(outcome);
            }
            String planId = PlanIds.next(nowMillis);
            String reservationId = PlanIds.next(nowMillis);
            RoutingRecord record = RoutingRecord.of(planId, nowMillis, request.accountId(), request.meetingId(),
                    routed.plan(), reservationId, policyVersion);
            // the receipt is known before the hold, so that a replayed answer carries it too
            RoutingPlanResponse response = PlanMapper.toResponse(planId, request.meetingId(), routed.plan())
                    .withReceipt(records.receipt(record).map(RoutingPlanResponse.ReceiptView::of).orElse(null));
            ReservationService.Attempt result;
            try {
                result = reservations.hold(reservationId, routed.plan(), request.meetingId(), caller.name(),
                        held -> key.ifPresent(k -> idempotency.insert(caller.name(), k, caller.requestHash(),
                                json(response.withReservation(held)))));
            } catch (RuntimeException e) {
                // a concurrent twin with the same Idempotency-Key committed first: answer as it did
                Optional<Decision> replay = key.isPresent() ? replay(caller) : Optional.empty();
                if (replay.isPresent()) {
                    return replay.get();
                }
                throw e;
            }
            if (result instanceof ReservationService.Attempt.Held held) {
                metrics.decision(outcome);
                records.record(record);
                return new Decision(outcome, response.withReservation(held.reservation()));
            }
            shortfall = ((ReservationService.Attempt.Taken) result).shortfall();
            capacityView.refresh();
            snapshot = capacity.snapshot();
        }
        throw noCapacity(new RoutingOutcome.NoPermittedCapacity(policy, participants.size(), shortfall, strategy,
                List.of()));
    }

    private Optional<Decision> replay(Caller caller) {
        Optional<IdempotencyStore.Stored> stored = idempotency.find(caller.name(), caller.idempotencyKey().get());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.get().requestHash().equals(caller.requestHash())) {
            throw ProblemException.of(ProblemType.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used for a "
                    + "different request; use a new key for a new request.");
        }
        try {
            return Optional.of(new Decision(null, mapper.readValue(stored.get().response(), RoutingPlanResponse.class)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored answer cannot be read", e);
        }
    }

    private String json(RoutingPlanResponse response) {
        try {
            return mapper.writeValueAsString(response);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("answer cannot be stored", e);
        }
    }

    private ProblemException refusal(RoutingOutcome outcome) {
        if (outcome instanceof RoutingOutcome.NoPermittedRegion none) {
            return new ProblemException(Problem.of(ProblemType.NO_PERMITTED_REGION, "The effective policy (blocked "
                    + none.policy().blockedRegions() + ", allowed "
                    + none.policy().allowedRegions().map(Object::toString).orElse("any")
                    + ") leaves no region with a data center."));
        }
        return noCapacity((RoutingOutcome.NoPermittedCapacity) outcome);
    }

    private ProblemException noCapacity(RoutingOutcome.NoPermittedCapacity full) {
        String detail = full.strategy() == Strategy.SINGLE
                ? "No permitted data center has headroom for all " + full.participants()
                + " participants; " + full.unroutableParticipants() + " would be left without a place."
                : "Permitted data centers lack headroom for " + full.unroutableParticipants() + " of "
                + full.participants() + " participants. No blocked region is used instead.";
        Problem base = Problem.of(ProblemType.NO_PERMITTED_CAPACITY, detail);
        Problem problem = new Problem(base.type(), base.title(), base.status(), base.detail(), null, null,
                full.unroutableParticipants());
        long retryAfter = Math.max(1, config.retryAfter().toSeconds());
        return new ProblemException(problem, Map.of("Retry-After", Long.toString(retryAfter)));
    }

    private List<Participant> participants(List<RoutingPlanRequest.Participant> input,
                                           List<Problem.FieldError> errors) {
        List<Participant> participants = new ArrayList<>(input.size());
        Map<String, Integer> firstIndex = new HashMap<>(input.size() * 2);
        for (int i = 0; i < input.size(); i++) {
            RoutingPlanRequest.Participant p = input.get(i);
            // field paths are built only for errors: this loop runs once per participant
            Integer previous = firstIndex.putIfAbsent(p.id(), i);
            if (previous != null) {
                errors.add(new Problem.FieldError(at(i) + ".id", "duplicates participants[" + previous + "].id"));
            }
            GeoPoint location = location(i, p.location(), errors);
            Map<String, Double> measured = p.measuredRttMs() == null ? Map.of() : p.measuredRttMs();
            for (Map.Entry<String, Double> m : measured.entrySet()) {
                if (model.indexOf(m.getKey()) < 0) {
                    errors.add(new Problem.FieldError(at(i) + ".measuredRttMs." + m.getKey(),
                            "is not a data center of the model"));
                } else if (!Double.isFinite(m.getValue())) {
                    errors.add(new Problem.FieldError(at(i) + ".measuredRttMs." + m.getKey(), "must be a finite number"));
                }
            }
            if (location != null) {
                participants.add(new Participant(p.id(), location, measured));
            }
        }
        return participants;
    }

    private static String at(int participant) {
        return "participants[" + participant + "]";
    }

    private GeoPoint location(int participant, RoutingPlanRequest.Location location, List<Problem.FieldError> errors) {
        Double lat = location.latitude();
        Double lon = location.longitude();
        if (lat != null || lon != null) {
            if (lat == null || lon == null) {
                errors.add(new Problem.FieldError(at(participant) + ".location", "latitude and longitude must be given together"));
                return null;
            }
            if (!GeoPoint.isValid(lat, lon)) {
                errors.add(new Problem.FieldError(at(participant) + ".location", "latitude must be in [-90, 90] and longitude in [-180, 180]"));
                return null;
            }
            return new GeoPoint(lat, lon);
        }
        if (location.country() == null) {
            errors.add(new Problem.FieldError(at(participant) + ".location", "needs a country or latitude and longitude"));
            return null;
        }
        Optional<CountryDirectory.Country> country = countries.find(location.country());
        if (country.isEmpty()) {
            errors.add(new Problem.FieldError(at(participant) + ".location.country", "is not an ISO 3166-1 alpha-2 country code"));
            return null;
        }
        return country.get().centroid();
    }

    /** Maps core plans to the response shape; values rounded to 0.1 ms for display. */
    static final class PlanMapper {
        private PlanMapper() {
        }

        static RoutingPlanResponse toResponse(String planId, String meetingId, RoutingPlan plan) {
            List<RoutingPlanResponse.AssignmentView> assignments = new ArrayList<>(plan.assignments().size());
            for (RoutingPlan.Assignment a : plan.assignments()) {
                assignments.add(new RoutingPlanResponse.AssignmentView(a.participantId(), a.dataCenter(), a.region(),
                        round(a.rttMs()), a.measured() ? "MEASURED" : "ESTIMATED"));
            }
            RegionPolicy policy = plan.policy();
            return new RoutingPlanResponse(planId, meetingId, plan.strategy(), assignments,
                    plan.dataCenters().stream().map(d -> new RoutingPlanResponse.DataCenterUseView(d.id(), d.region(),
                            d.participants(), d.primary())).toList(),
                    plan.cascadeLinks().stream().map(l -> new RoutingPlanResponse.CascadeLinkView(l.from(), l.to(),
                            round(l.rttMs()))).toList(),
                    plan.regionsUsed(),
                    new RoutingPlanResponse.EffectivePolicyView(List.copyOf(policy.blockedRegions()),
                            policy.allowedRegions().<List<String>>map(List::copyOf).orElse(null), policy.sources()),
                    plan.excluded().stream().map(e -> new RoutingPlanResponse.ExclusionView(e.dataCenter(), e.region(),
                            e.reason())).toList(),
                    new RoutingPlanResponse.SummaryView(round(plan.summary().maxRttMs()),
                            round(plan.summary().meanRttMs()), round(plan.summary().worstPairLatencyMs())),
                    null);
        }

        static double round(double ms) {
            return Math.round(ms * 10.0) / 10.0;
        }
    }
}
