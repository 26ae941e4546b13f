package io.meridian.rerouting;

import io.meridian.core.DataCenterModel;
import io.meridian.web.DatabaseJobs;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.TreeSet;

/**
 * A data center that left the model (the service started with a model file without it) while live
 * participants are on it: at start, a job moves them, as for a data center set DOWN (the move rule
 * treats a data center the model no longer has as DOWN). Each replica checks when it starts; a job
 * already pending for that data center is not made again.
 */
@ApplicationScoped
class ModelTrigger {

    private static final Logger LOG = Logger.getLogger(ModelTrigger.class);

    private final DataCenterModel model;
    private final LiveMeetings meetings;
    private final RerouteJobs jobs;
    private final RerouteWorker worker;
    private final DatabaseJobs databaseJobs;

    @Inject
    ModelTrigger(DataCenterModel model, LiveMeetings meetings, RerouteJobs jobs, RerouteWorker worker,
                 DatabaseJobs databaseJobs) {
        this.model = model;
        this.meetings = meetings;
        this.jobs = jobs;
        this.worker = worker;
        this.databaseJobs = databaseJobs;
    }

    void onStart(@Observes StartupEvent event) {
        databaseJobs.run("Live re-routing model check", "Participants on a data center the model no longer has "
                + "are moved once this check reaches the database (at the next start).", this::check);
    }

    /** Makes a job for each data center in use that the model lacks; answers those. */
    Set<String> check() {
        Set<String> removed = new TreeSet<>();
        for (String dc : meetings.dataCentersInUse()) {
            if (model.indexOf(dc) < 0) {
                removed.add(dc);
                if (jobs.insertForRemoved(dc)) {
                    LOG.warnf("Data center %s is not in the model but live participants are on it: they are moved",
                            dc);
                }
            }
        }
        if (!removed.isEmpty()) {
            worker.wake();
        }
        return removed;
    }
}
