package io.meridian.policy;

import io.meridian.catalog.RegionCodes;
import io.meridian.core.RegionPolicy;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemType;
import io.meridian.web.TransientFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Account region policies: validation against the model, optimistic concurrency on the version,
 * and a history row written in the same transaction as every change.
 *
 * <p>Concurrency: a change is a conditional update {@code ... where version = expected}; of two
 * requests holding the same ETag, the database lets exactly one match, and the other gets 412.
 * Versions keep growing across a delete and re-create, so an ETag never names two states.
 */
@ApplicationScoped
public class RegionPolicyService {

    private static final Logger LOG = Logger.getLogger(RegionPolicyService.class);

    /** The kinds of change, as recorded and counted. */
    public enum Action { CREATE, UPDATE, DELETE }

    private final EntityManager em;
    private final DataSource dataSource;
    private final RegionCodes regionCodes;
    private final Map<Action, Counter> changes = new EnumMap<>(Action.class);
    /** Told of each change in its transaction (live re-routing). */
    @Inject
    Instance<RegionPolicyListener> listeners;

    @Inject
    public RegionPolicyService(EntityManager em, DataSource dataSource, RegionCodes regionCodes,
                               MeterRegistry registry) {
        this.em = em;
        this.dataSource = dataSource;
        this.regionCodes = regionCodes;
        for (Action action : Action.values()) {
            changes.put(action, Counter.builder("meridian.region.policy.changes")
                    .description("Changes of account region policies, by action")
                    .tag("action", action.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
    }

    /** A validated policy content. */
    record Content(SortedSet<String> blocked, Optional<SortedSet<String>> allowed, Optional<String> home) {
    }

    @Transactional
    public Optional<RegionPolicyViews.Policy> find(String accountId) {
        return Optional.ofNullable(em.find(RegionPolicyEntity.class, accountId)).map(RegionPolicyService::view);
    }

    /**
     * The stored policy of an account as a restriction for routing, if it has one. Read on every
     * plan that names an account, straight from the database (so a change applies to the next plan
     * on every replica), with one plain JDBC statement: no transaction, no persistence context. The
     * entity path cost a 10-participant plan about two thirds of its throughput.
     */
    public Optional<RegionPolicy.Restriction> restrictionFor(String accountId) {
        return versionedRestrictionFor(accountId).map(Versioned::restriction);
    }

    /** An account's restriction with the version of the stored policy it comes from. */
    public record Versioned(RegionPolicy.Restriction restriction, long version) {
    }

    /**
     * {@link #restrictionFor} with the policy's version (the same one statement), for the routing
     * facts that state which version of the policy a plan obeyed.
     */
    public Optional<Versioned> versionedRestrictionFor(String accountId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select blocked_regions, allowed_regions, version from region_policy where account_id = ?")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String allowed = rs.getString(2);
                return Optional.of(new Versioned(new RegionPolicy.Restriction("account:" + accountId,
                        codes(rs.getString(1)), Optional.ofNullable(allowed).map(RegionPolicyService::codes)),
                        rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("account policy of " + accountId + " cannot be read", e);
        }
    }

    /**
     * A number that changes with every committed policy change (every change writes a history row
     * and history rows are never deleted, so their count only grows). Callers that keep policies in
     * memory compare it to notice a change made on any replica; unlike the largest row id, a count
     * cannot miss a change whose transaction commits after a later one.
     */
    public long changeMark() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from region_policy_change");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("region policy changes cannot be counted", e);
        }
    }

    /**
     * Creates or replaces a policy.
     *
     * @param ifMatch the request's If-Match header, if any
     * @throws ProblemException 400 invalid content, 428 If-Match missing on an existing policy,
     *                          412 stale or concurrent change
     */
    /**
     * A stored change.
     *
     * @param liveMeetingsAffected live meetings of the account using a region the change forbids
     */
    public record Stored(RegionPolicyViews.Policy policy, int liveMeetingsAffected) {
    }

    @Transactional
    public Stored put(String accountId, RegionPolicyViews.Input input, Optional<String> ifMatch, String caller) {
        Content content = validate(input);
        RegionPolicyEntity existing = em.find(RegionPolicyEntity.class, accountId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (existing == null) {
            if (ifMatch.isPresent()) {
                throw precondition("There is no policy to match; omit If-Match to create one.");
            }
            long version = nextVersion(accountId);
            RegionPolicyEntity created = new RegionPolicyEntity();
            created.accountId = accountId;
            apply(created, content);
            created.version = version;
            created.updatedAt = now;
            created.updatedBy = caller;
            try {
                em.persist(created);
                em.flush();
            } catch (PersistenceException e) {
                if (TransientFailures.isUnavailable(e)) {
                    // the database was busy or away, not a concurrent change: 503, not 412
                    throw e;
                }
                throw precondition("Another change created this policy first; read it and retry with its ETag.");
            }
            record(accountId, version, Action.CREATE, now, caller, content);
            return new Stored(view(created), notify(accountId, version, Optional.of(content)));
        }
        long expected = expectedVersion(ifMatch, existing.version);
        long version = expected + 1;
        int updated = em.createQuery("update RegionPolicyEntity p set p.blockedRegions = :blocked, "
                        + "p.allowedRegions = :allowed, p.homeRegion = :home, p.version = :version, "
                        + "p.updatedAt = :now, p.updatedBy = :caller where p.accountId = :account and p.version = :expected")
                .setParameter("blocked", join(content.blocked()))
                .setParameter("allowed", content.allowed().map(RegionPolicyService::join).orElse(null))
                .setParameter("home", content.home().orElse(null))
                .setParameter("version", version)
                .setParameter("now", now)
                .setParameter("caller", caller)
                .setParameter("account", accountId)
                .setParameter("expected", expected)
                .executeUpdate();
        if (updated != 1) {
            throw precondition("The policy changed since this ETag was read; read it again and retry.");
        }
        record(accountId, version, Action.UPDATE, now, caller, content);
        return new Stored(new RegionPolicyViews.Policy(accountId, List.copyOf(content.blocked()),
                content.allowed().<List<String>>map(List::copyOf).orElse(null), content.home().orElse(null), version,
                now, caller), notify(accountId, version, Optional.of(content)));
    }

    /** Tells the listeners of a change, in its transaction; answers the live meetings it affects. */
    private int notify(String accountId, long version, Optional<Content> content) {
        if (listeners == null) {
            return 0;
        }
        Optional<RegionPolicy.Restriction> restriction = content.map(c -> new RegionPolicy.Restriction(
                "account:" + accountId, c.blocked(), c.allowed()));
        int affected = 0;
        for (RegionPolicyListener l : listeners) {
            affected += l.changed(accountId, version, restriction);
        }
        return affected;
    }

    /**
     * Deletes a policy.
     *
     * @return empty when the account has no policy, else the live meetings the deletion affects
     *         (always 0: a deletion only widens what the account's meetings may use)
     */
    @Transactional
    public Optional<Integer> delete(String accountId, Optional<String> ifMatch, String caller) {
        RegionPolicyEntity existing = em.find(RegionPolicyEntity.class, accountId);
        if (existing == null) {
            return Optional.empty();
        }
        long expected = expectedVersion(ifMatch, existing.version);
        Content removed = new Content(codes(existing.blockedRegions),
                Optional.ofNullable(existing.allowedRegions).map(RegionPolicyService::codes),
                Optional.ofNullable(existing.homeRegion));
        int deleted = em.createQuery("delete from RegionPolicyEntity p where p.accountId = :account and p.version = :expected")
                .setParameter("account", accountId).setParameter("expected", expected).executeUpdate();
        if (deleted != 1) {
            throw precondition("The policy changed since this ETag was read; read it again and retry.");
        }
        record(accountId, expected + 1, Action.DELETE, Instant.now().truncatedTo(ChronoUnit.MICROS), caller, removed);
        return Optional.of(notify(accountId, expected + 1, Optional.empty()));
    }

    /** Every recorded change of an account, newest first. */
    @Transactional
    public List<RegionPolicyViews.Change> history(String accountId) {
        return em.createQuery("from RegionPolicyChangeEntity c where c.accountId = :account order by c.version desc",
                        RegionPolicyChangeEntity.class)
                .setParameter("account", accountId).getResultList().stream()
                .map(c -> new RegionPolicyViews.Change(c.version, c.changedAt, c.changedBy, List.copyOf(codes(c.blockedRegions)),
                        c.allowedRegions == null ? null : List.copyOf(codes(c.allowedRegions)), c.homeRegion, c.action))
                .toList();
    }

    private long nextVersion(String accountId) {
        Long max = em.createQuery("select max(c.version) from RegionPolicyChangeEntity c where c.accountId = :account",
                Long.class).setParameter("account", accountId).getSingleResult();
        return max == null ? 1 : max + 1;
    }

    private void record(String accountId, long version, Action action, Instant at, String caller, Content content) {
        RegionPolicyChangeEntity change = new RegionPolicyChangeEntity();
        change.accountId = accountId;
        change.version = version;
        change.action = action.name();
        change.changedAt = at;
        change.changedBy = caller;
        change.blockedRegions = join(content.blocked());
        change.allowedRegions = content.allowed().map(RegionPolicyService::join).orElse(null);
        change.homeRegion = content.home().orElse(null);
        try {
            em.persist(change);
            em.flush();
        } catch (PersistenceException e) {
            if (TransientFailures.isUnavailable(e)) {
                // the database was busy or away, not a concurrent change: 503, not 412
                throw e;
            }
            throw precondition("Another change of this policy happened at the same time; read it again and retry.");
        }
        changes.get(action).increment();
        LOG.infof("Region policy %s of account %s by %s: version %d, blocked %s, allowed %s, home %s", action,
                accountId, caller, version, content.blocked(), content.allowed().map(Object::toString).orElse("any"),
                content.home().orElse("none"));
    }

    /** The version an If-Match header names; 428 when missing, 412 when it does not match. */
    private static long expectedVersion(Optional<String> ifMatch, long current) {
        if (ifMatch.isEmpty() || ifMatch.get().isBlank()) {
            throw new ProblemException(Problem.of(ProblemType.PRECONDITION_REQUIRED,
                    "This policy exists: send If-Match with its ETag (from GET) to change it."));
        }
        for (String tag : ifMatch.get().split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag(current))) {
                return current;
            }
        }
        throw precondition("The policy changed since this ETag was read; read it again and retry.");
    }

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    private static ProblemException precondition(String detail) {
        return new ProblemException(Problem.of(ProblemType.PRECONDITION_FAILED, detail));
    }

    /**
     * A policy as the account's restriction, validated as {@link #put} validates it, without storing
     * anything (the what-if of a change).
     *
     * @throws ProblemException 400 invalid content
     */
    public RegionPolicy.Restriction proposed(String accountId, RegionPolicyViews.Input input) {
        Content content = validate(input);
        return new RegionPolicy.Restriction("account:" + accountId, content.blocked(), content.allowed());
    }

    /** Normalises and checks a policy against the loaded model; every problem is reported at once. */
    Content validate(RegionPolicyViews.Input input) {
        List<Problem.FieldError> errors = new ArrayList<>();
        SortedSet<String> blocked = regionCodes.parse("blockedRegions", input.blockedRegions(), errors);
        Optional<SortedSet<String>> allowed = input.allowedRegions() == null ? Optional.empty()
                : Optional.of(regionCodes.parse("allowedRegions", input.allowedRegions(), errors));
        Optional<String> home = Optional.empty();
        if (input.homeRegion() != null) {
            home = regionCodes.find(input.homeRegion());
            if (home.isEmpty()) {
                errors.add(regionCodes.unknown("homeRegion"));
            }
        }
        if (errors.isEmpty()) {
            if (allowed.isPresent()) {
                SortedSet<String> clash = new TreeSet<>(blocked);
                clash.retainAll(allowed.get());
                if (!clash.isEmpty()) {
                    errors.add(new Problem.FieldError("allowedRegions", "contradicts blockedRegions: "
                            + String.join(", ", clash) + " cannot be both allowed and blocked"));
                }
            }
            if (home.isPresent() && blocked.contains(home.get())) {
                errors.add(new Problem.FieldError("homeRegion", "the home region " + home.get() + " cannot be blocked"));
            }
            if (home.isPresent() && allowed.isPresent() && !allowed.get().contains(home.get())) {
                errors.add(new Problem.FieldError("homeRegion", "the home region " + home.get()
                        + " must be in allowedRegions"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        return new Content(blocked, allowed, home);
    }

    private static void apply(RegionPolicyEntity entity, Content content) {
        entity.blockedRegions = join(content.blocked());
        entity.allowedRegions = content.allowed().map(RegionPolicyService::join).orElse(null);
        entity.homeRegion = content.home().orElse(null);
    }

    static String join(SortedSet<String> codes) {
        return String.join(",", codes);
    }

    static SortedSet<String> codes(String joined) {
        return joined.isEmpty() ? new TreeSet<>() : new TreeSet<>(Arrays.asList(joined.split(",")));
    }

    private static RegionPolicyViews.Policy view(RegionPolicyEntity e) {
        return new RegionPolicyViews.Policy(e.accountId, List.copyOf(codes(e.blockedRegions)),
                e.allowedRegions == null ? null : List.copyOf(codes(e.allowedRegions)), e.homeRegion, e.version,
                e.updatedAt, e.updatedBy);
    }
}
