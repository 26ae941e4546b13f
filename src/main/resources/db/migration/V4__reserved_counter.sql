-- Participants held per data center, kept in the data center's own row: every statement that adds
-- or removes a reservation's holds changes it in the same transaction, under that row's lock. So
-- a reservation checks its headroom against one locked row instead of summing every hold of the
-- site (a scan that grew with the churn of reservations). Holds of reservations that expired but
-- are not yet deleted are still in the counter; readers subtract them (few: the cleanup job deletes
-- them), so an expired hold stops counting the moment it expires, as before.

alter table data_center_state add column reserved integer default 0 not null;

update data_center_state set reserved = coalesce((select sum(h.participants) from reservation_hold h
                                                  where h.data_center_id = data_center_state.data_center_id), 0);
