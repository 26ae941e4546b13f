package io.meridian.events;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;

/**
 * The replica's {@link EventFeed}, started with the service, and its metrics:
 * {@code meridian_meeting_event_connections} (open SSE connections), {@code meridian_meeting_event_feed_lag_events}
 * (events committed that this replica has not loaded) and {@code meridian_meeting_event_delivery_seconds}
 * (from an event's time to its write to a client that keeps up).
 */
@Startup
@ApplicationScoped
public class EventFeedService {

    private final EventFeed feed;

    @Inject
    public EventFeedService(DataSource dataSource, EventConfig config, MeterRegistry registry) {
        DistributionSummary delay = DistributionSummary.builder("meridian.meeting.event.delivery")
                .description("Time from a meeting event to its delivery to an SSE client that keeps up")
                .baseUnit("seconds").serviceLevelObjectives(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        this.feed = new EventFeed(dataSource::getConnection, new FeedSettings(config.pollInterval(),
                config.memoryEvents(), config.pageSize(), config.sendWindow(), config.heartbeat(), config.stallTimeout(),
                config.maxConnectionAge()), micros -> delay.record(micros / 1e6));
        Gauge.builder("meridian.meeting.event.connections", feed, EventFeed::connections)
                .description("Open SSE connections of the meeting event feed on this replica").register(registry);
        Gauge.builder("meridian.meeting.event.feed.lag", feed, EventFeed::behind).baseUnit("events")
                .description("Meeting events committed that this replica's feed has not loaded yet").register(registry);
        feed.start();
    }

    public EventFeed feed() {
        return feed;
    }

    @PreDestroy
    void stop() {
        feed.stop();
    }
}
