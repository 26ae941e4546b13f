package io.meridian.meeting;

import io.meridian.events.MeetingOwners;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Live meetings' answer to the event feed's question "whose meeting is this?". */
@ApplicationScoped
class MeetingOwnerDirectory implements MeetingOwners {

    private final DataSource dataSource;

    @Inject
    MeetingOwnerDirectory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<String> owner(String id) {
        try (Connection c = dataSource.getConnection()) {
            return Optional.ofNullable(MeetingSql.find(c, Set.of(id)).get(id)).map(MeetingRows.Meeting::createdBy);
        } catch (SQLException e) {
            throw new IllegalStateException("The meeting's owner could not be read", e);
        }
    }
}
