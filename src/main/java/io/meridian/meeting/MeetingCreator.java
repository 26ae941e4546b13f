package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.core.MeetingSites;
import io.meridian.core.MeetingTopology;
import io.meridian.core.RegionPolicy;
import io.meridian.idempotency.IdempotentAnswers;
import io.meridian.ledger.CapacityLedger;
import io.meridian.records.PlanIds;
import io.meridian.routing.PolicyMapper;
import io.meridian.web.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Opens live meetings: the meeting's row and its holder in the ledger in one transaction, with the
 * reservation it is created from, and the first answer of an Idempotency-Key.
 */
@ApplicationScoped
public class MeetingCreator {

    private final DataSource dataSource;
    private final CapacityLedger ledger;
    private final IdempotentAnswers answers;
    private final MeetingConfig config;
    private final DataCenterModel model;

    @Inject
    public MeetingCreator(DataSource dataSource, CapacityLedger ledger, IdempotentAnswers answers, MeetingConfig config,
                          DataCenterModel model) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.answers = answers;
        this.config = config;
        this.model = model;
    }

    /** A meeting opened, or the first answer to the same Idempotency-Key. */
    record Created(MeetingViews.MeetingView meeting, boolean replayed) {
    }

    /**
     * @throws ProblemException 400 when the reservation is not a live one of this caller (or another
     *                          meeting was created from it), 422 when the key answered another body
     */
    Created create(MeetingViews.CreateRequest body, RegionPolicy.Restriction request, PolicyMapper.Effective policy,
                   String caller, Optional<IdempotentAnswers.Key> key) {
        if (key.isPresent()) {
            Optional<MeetingViews.MeetingView> replay = answers.replay(key.get(), MeetingViews.MeetingView.class);
            if (replay.isPresent()) {
                return new Created(replay.get(), true);
            }
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(config.lease());
        MeetingRows.Meeting row = new MeetingRows.Meeting(PlanIds.next(now.toEpochMilli()), body.meetingId(),
                body.accountId(), caller, now, request, policy.policy(), policy.version(),
                Optional.ofNullable(body.reservationId()), Optional.empty());
        MeetingViews.MeetingView view = MeetingMapper.meeting(row, MeetingTopology.of(MeetingSites.EMPTY, model), 0,
                expires).withParticipants(List.of());
        try {
            QuarkusTransaction.requiringNew().run(() -> open(row, expires, caller, key, view));
        } catch (ProblemException refused) {
            throw refused;
        } catch (RuntimeException e) {
            // a concurrent twin with the same Idempotency-Key committed first: answer as it did
            Optional<MeetingViews.MeetingView> replay = key.isPresent()
                    ? answers.replay(key.get(), MeetingViews.MeetingView.class) : Optional.empty();
            if (replay.isPresent()) {
                return new Created(replay.get(), true);
            }
            throw e;
        }
        return new Created(view, false);
    }

    private void open(MeetingRows.Meeting row, Instant expires, String caller, Optional<IdempotentAnswers.Key> key,
                      MeetingViews.MeetingView view) {
        try (Connection c = dataSource.getConnection()) {
            MeetingSql.insert(c, row);
            if (row.reservationId().isPresent()) {
                if (ledger.openFromReservation(c, row.id(), expires, row.reservationId().get(), caller).isEmpty()) {
                    throw ProblemException.invalid("reservationId", "is not a live reservation of this caller, or "
                            + "another meeting was created from it");
                }
            } else {
                ledger.open(c, row.id(), expires);
            }
            key.ifPresent(k -> answers.store(k, view));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("the meeting could not be stored", e);
        }
    }
}
