package io.meridian.meeting;

import io.meridian.core.DataCenterModel;
import io.meridian.ledger.CapacityLedger;
import io.meridian.ledger.LiveTransaction;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The view of one live meeting, from any replica: read from the database, nothing locked. */
@ApplicationScoped
public class MeetingReader {

    private final DataSource dataSource;
    private final CapacityLedger ledger;
    private final DataCenterModel model;

    @Inject
    public MeetingReader(DataSource dataSource, CapacityLedger ledger, DataCenterModel model) {
        this.dataSource = dataSource;
        this.ledger = ledger;
        this.model = model;
    }

    /** The meeting with everyone in it; empty when unknown, not the caller's, ended or run out of lease. */
    Optional<MeetingViews.MeetingView> view(String id, String caller) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                MeetingRows.Meeting row = MeetingSql.find(c, Set.of(id)).get(id);
                if (row == null || !row.createdBy().equals(caller)) {
                    return Optional.<MeetingViews.MeetingView>empty();
                }
                LiveTransaction live = ledger.live(c, Instant.now());
                if (live.read(Set.of(id)).isEmpty() || live.expired(id)) {
                    return Optional.<MeetingViews.MeetingView>empty();
                }
                OpenMeeting m = new OpenMeeting(row, MeetingSql.sites(c, Set.of(id)).getOrDefault(id, Map.of()), Map.of());
                MeetingViews.MeetingView view = MeetingMapper.meeting(row, m.topology(model), m.participants(),
                        live.expiresAt(id));
                return Optional.of(view.withParticipants(MeetingMapper.participants(MeetingSql.everyone(c, id), model)));
            }
        });
    }

    /** Live meetings in the database (any replica's). */
    long count() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return MeetingSql.count(c);
            }
        });
    }
}
