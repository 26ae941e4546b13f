package io.meridian.transparency;

import io.meridian.records.PlanIds;
import io.meridian.records.RoutingRecords;
import io.meridian.security.AccountScope;
import io.meridian.security.Roles;
import io.meridian.transparency.log.Hash;
import io.meridian.transparency.log.KeyedHashes;
import io.meridian.transparency.log.SignedTreeHead;
import io.meridian.transparency.log.TreeShape;
import io.meridian.web.Ids;
import io.meridian.web.Problem;
import io.meridian.web.ProblemException;
import io.meridian.web.ProblemMapper;
import io.meridian.web.ProblemType;
import io.meridian.web.Security;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The transparency log, read-only. Tree heads, consistency proofs and the signing keys are public
 * (they reveal hashes only, and anyone may watch that the log only grows); inclusion proofs, which
 * carry an entry, are for the account's region admins and for ops; so is an account's hash key.
 *
 * <p>Sizes beyond the newest signed head answer 404 (the log has no such state yet); a size that is
 * not a whole number in range answers 400. An entry that is written but not yet in a signed head
 * answers 404 {@code not-yet-sequenced} with {@code Retry-After}.
 */
@Path("/api/v1/transparency")
@Tag(name = "Transparency log")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "400", description = "A size, index or id that is malformed or out of range, or a "
        + "parameter given twice.",
        content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
public class TransparencyResource {

    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,19}");
    /** Waiting for this replica's queued records before a lookup (as the traffic report does). */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(2);

    private final TransparencyLog log;
    private final EntryWriter writer;
    private final RoutingRecords records;
    private final Instance<AccountScope> scope;
    private final Instance<SecurityIdentity> identity;

    @Inject
    public TransparencyResource(TransparencyLog log, EntryWriter writer, RoutingRecords records,
                                Instance<AccountScope> scope, Instance<SecurityIdentity> identity) {
        this.log = log;
        this.writer = writer;
        this.records = records;
        this.scope = scope;
        this.identity = identity;
    }

    @GET
    @Path("/tree-head")
    @PermitAll
    @SecurityRequirementsSet
    @Operation(operationId = "getTreeHead", summary = "The newest signed tree head, or the one of a given size",
            description = "Public. Without size: the newest head (re-signed every meridian.transparency.tree-head-"
                    + "interval, so its timestamp shows the log is alive). With size: the head signed when the log had "
                    + "exactly that many entries, 404 if none was.")
    @APIResponse(responseCode = "200", description = "The head.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TransparencyViews.TreeHeadView.class),
            examples = @ExampleObject(name = "head", value = TransparencyExamples.TREE_HEAD)))
    @APIResponse(responseCode = "404", description = "No head yet, or no head of that size.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TransparencyViews.TreeHeadView treeHead(
            @Parameter(description = "A tree size, 0 to 2^63-1.", example = "1520") @QueryParam("size") String size,
            @Context UriInfo uri) {
        size = once(uri, "size").get("size");
        if (size == null) {
            return TransparencyViews.TreeHeadView.of(newest());
        }
        long n = whole("size", size, 0);
        return TransparencyViews.TreeHeadView.of(log.store().head(n).orElseThrow(() -> notFound(
                "No tree head was signed at size " + n + "; the newest signed head has " + newestSize() + " entries.")));
    }

    @GET
    @Path("/proofs/inclusion")
    @RolesAllowed({Roles.REGION_ADMIN, Roles.OPS})
    @SecurityRequirement(name = Security.BEARER)
    @Operation(operationId = "getInclusionProof", summary = "Proof that a plan's entry is in the log",
            description = "By planId or by leafIndex (one of them), against the newest signed head or the head of "
                    + "treeSize. Region admins see entries of their own accounts (a plan of another account answers "
                    + "404 as an unknown one); ops see every entry.")
    @APIResponse(responseCode = "200", description = "The proof, the entry and the signed head it leads to.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TransparencyViews.InclusionProofView.class),
                    examples = @ExampleObject(name = "proof", value = TransparencyExamples.INCLUSION)))
    @APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
    @APIResponse(responseCode = "404", description = "not-found: no entry of this plan (or leaf), or no head of "
            + "treeSize. not-yet-sequenced: the entry is written but not yet in a signed head; retry after the "
            + "Retry-After seconds.",
            headers = @Header(name = "Retry-After", description = "With not-yet-sequenced: seconds until the next "
                    + "tree head.", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "not-yet-sequenced", value = TransparencyExamples.NOT_YET_SEQUENCED)))
    public TransparencyViews.InclusionProofView inclusion(
            @Parameter(description = "The plan id of a routing plan answer.") @QueryParam("planId") String planId,
            @Parameter(description = "A leaf index, 0 to 2^63-1.") @QueryParam("leafIndex") String leafIndex,
            @Parameter(description = "Prove against the head of this size (default: the newest).")
            @QueryParam("treeSize") String treeSize,
            @Context UriInfo uri) {
        Map<String, String> given = once(uri, "planId", "leafIndex", "treeSize");
        planId = given.get("planId");
        leafIndex = given.get("leafIndex");
        treeSize = given.get("treeSize");
        List<Problem.FieldError> errors = new ArrayList<>();
        if ((planId == null) == (leafIndex == null)) {
            errors.add(new Problem.FieldError(planId == null ? "planId" : "leafIndex",
                    "give exactly one of planId and leafIndex"));
        }
        if (planId != null && !PlanIds.valid(planId)) {
            errors.add(new Problem.FieldError("planId", PlanIds.MESSAGE));
        }
        Long index = leafIndex == null ? null : whole("leafIndex", leafIndex, 0, errors);
        Long size = treeSize == null ? null : whole("treeSize", treeSize, 1, errors);
        if (index != null && size != null && index >= size) {
            errors.add(new Problem.FieldError("leafIndex", "must be below treeSize"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        SignedTreeHead head = size == null ? newest() : log.store().head(size).orElseThrow(() -> notFound(
                "No tree head was signed at size " + size + "; the newest signed head has " + newestSize() + " entries."));
        LogStore.Leaf leaf = planId != null ? leafOfPlan(planId) : leafAt(index, head);
        long n = head.head().treeSize();
        if (leaf.leafIndex() >= n) {
            throw notYet("The entry of " + leaf.entryId() + " is leaf " + leaf.leafIndex() + ", not yet in a signed "
                    + "tree head (the newest has " + n + " entries)" + (size == null ? "" : " of size " + size) + ".");
        }
        List<String> path = log.store().hashes(TreeShape.inclusionPath(leaf.leafIndex(), n)).stream()
                .map(TransparencyViews::base64).toList();
        return new TransparencyViews.InclusionProofView(leaf.entryId(), leaf.leafIndex(), n, leaf.leafHash().base64(),
                path, leaf.body().map(TransparencyViews::base64).orElse(null), TransparencyViews.TreeHeadView.of(head));
    }

    private LogStore.Leaf leafOfPlan(String planId) {
        records.flush(FLUSH_WAIT);
        Optional<LogStore.Leaf> leaf = log.store().leafOf(planId);
        if (leaf.isPresent() && visible(leaf.get().accountHash())) {
            return leaf.get();
        }
        if (leaf.isEmpty()) {
            Optional<LogStore.Pending> pending = log.store().pending(planId);
            if (pending.isPresent() && visible(pending.get().accountHash())) {
                throw notYet("The entry of plan " + planId + " is written and waits for its leaf index.");
            }
            // written on another replica moments ago, and still in its queue: worth a retry
            long age = System.currentTimeMillis() - PlanIds.timeOf(planId);
            if (pending.isEmpty() && age >= 0 && age < log.config().treeHeadInterval().toMillis() + 5_000) {
                throw notYet("No entry of plan " + planId + " is written yet; plans are logged within moments.");
            }
        }
        throw notFound("The log has no entry of plan " + planId + " that this token may see.");
    }

    private LogStore.Leaf leafAt(long index, SignedTreeHead head) {
        if (index >= head.head().treeSize()) {
            throw notYet("Leaf " + index + " is not in the newest signed tree head, which has "
                    + head.head().treeSize() + " entries.");
        }
        LogStore.Leaf leaf = log.store().leaf(index).orElseThrow(() -> new IllegalStateException(
                "leaf " + index + " of a signed head is missing from the log's storage"));
        if (!visible(leaf.accountHash())) {
            throw new ProblemException(Problem.of(ProblemType.FORBIDDEN,
                    "Leaf " + index + " is not an entry of the accounts this token may see."));
        }
        return leaf;
    }

    /** Ops see every entry; a region admin the entries of the accounts in its token. */
    private boolean visible(Optional<Hash> accountHash) {
        if (identity.get().hasRole(Roles.OPS)) {
            return true;
        }
        if (accountHash.isEmpty() || writer.entries().isEmpty()) {
            return false;
        }
        for (String account : scope.get().accounts()) {
            if (writer.entries().get().accountKey(account).accountHash().equals(accountHash.get())) {
                return true;
            }
        }
        return false;
    }

    @GET
    @Path("/proofs/consistency")
    @PermitAll
    @SecurityRequirementsSet
    @Operation(operationId = "getConsistencyProof", summary = "Proof that the log of one size is a prefix of a larger one",
            description = "Public. 1 <= first <= second <= the newest signed head's size. Verify against the "
                    + "signed roots of both sizes (RFC 9162 section 2.1.4.2).")
    @APIResponse(responseCode = "200", description = "The proof.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TransparencyViews.ConsistencyProofView.class),
            examples = @ExampleObject(name = "proof", value = TransparencyExamples.CONSISTENCY)))
    @APIResponse(responseCode = "404", description = "second is beyond the newest signed head.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TransparencyViews.ConsistencyProofView consistency(
            @Parameter(description = "The smaller tree size, at least 1.", required = true, example = "1200")
            @QueryParam("first") String first,
            @Parameter(description = "The larger tree size, at least first.", required = true, example = "1520")
            @QueryParam("second") String second,
            @Context UriInfo uri) {
        Map<String, String> given = once(uri, "first", "second");
        first = given.get("first");
        second = given.get("second");
        List<Problem.FieldError> errors = new ArrayList<>();
        Long m = required("first", first, errors);
        Long n = required("second", second, errors);
        if (m != null && n != null && n < m) {
            errors.add(new Problem.FieldError("second", "must be at least first"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        long newest = newest().head().treeSize();
        if (n > newest) {
            throw notFound("The newest signed tree head has " + newest + " entries; second is " + n + ".");
        }
        List<String> proof = log.store().hashes(TreeShape.consistencyProof(m, n)).stream()
                .map(TransparencyViews::base64).toList();
        return new TransparencyViews.ConsistencyProofView(m, n, proof);
    }

    @GET
    @Path("/keys")
    @PermitAll
    @SecurityRequirementsSet
    @Produces({MediaType.APPLICATION_JSON, "application/jwk-set+json"})
    @Operation(operationId = "getTransparencyKeys", summary = "The keys that sign tree heads, as a JWKS",
            description = "Public. Every key that ever signed a head, oldest first, so that heads signed before a key "
                    + "rotation still verify. A verifier should keep the keys it trusts rather than fetch them each time.")
    @APIResponse(responseCode = "200", description = "The key set.", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TransparencyViews.Jwks.class),
            examples = @ExampleObject(name = "keys", value = TransparencyExamples.KEYS)))
    public TransparencyViews.Jwks keys() {
        return new TransparencyViews.Jwks(log.store().keys().stream().map(TransparencyViews.Jwk::of).toList());
    }

    @GET
    @Path("/accounts/{accountId}/hash-key")
    @RolesAllowed({Roles.REGION_ADMIN, Roles.OPS})
    @SecurityRequirement(name = Security.BEARER)
    @Operation(operationId = "getAccountHashKey", summary = "An account's key for the log's keyed hashes",
            description = "Region admins of the account, or ops. With it the account computes its account hash and "
                    + "the hash of any of its meeting ids, and so recognises its entries; see docs/transparency.md.")
    @APIResponse(responseCode = "200", description = "The key and the account's hash (and a meeting's, if asked).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TransparencyViews.AccountHashKeyView.class)))
    @APIResponse(responseCode = "401", ref = Security.UNAUTHORIZED)
    @APIResponse(responseCode = "403", ref = Security.FORBIDDEN)
    @APIResponse(responseCode = "404", description = "The log is off on this service.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public TransparencyViews.AccountHashKeyView hashKey(
            @Parameter(description = "Account id.", example = "acme") @PathParam("accountId") String accountId,
            @Parameter(description = "A meeting id whose hash to compute too.", example = "weekly-sync-42")
            @QueryParam("meetingId") String meetingId,
            @Context UriInfo uri) {
        Ids.require("accountId", accountId);
        meetingId = once(uri, "meetingId").get("meetingId");
        if (meetingId != null && !Ids.valid(meetingId)) {
            throw ProblemException.invalid("meetingId", Ids.MESSAGE);
        }
        if (!identity.get().hasRole(Roles.OPS)) {
            scope.get().requireAccount(accountId);
        }
        LogEntries entries = writer.entries().orElseThrow(() -> notFound("The transparency log is off on this service."));
        LogEntries.AccountKey key = entries.accountKey(accountId);
        String meetingHash = meetingId == null ? null : KeyedHashes.meetingHash(key.key(), meetingId).base64();
        return new TransparencyViews.AccountHashKeyView(accountId, "HMAC-SHA-256", TransparencyViews.base64(key.key()),
                key.accountHash().base64(), meetingId, meetingHash);
    }

    private SignedTreeHead newest() {
        return log.store().latestHead().orElseThrow(() -> notYet("The log has no signed tree head yet."));
    }

    private long newestSize() {
        return log.store().latestHead().map(h -> h.head().treeSize()).orElse(0L);
    }

    private ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(ProblemType.NOT_FOUND, detail));
    }

    private ProblemException notYet(String detail) {
        long seconds = Math.max(1, (log.config().treeHeadInterval().toMillis() + 999) / 1000);
        return new ProblemException(Problem.of(ProblemType.NOT_YET_SEQUENCED, detail + " Retry after " + seconds + " s."),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    /**
     * The query parameters, each given at most once (400 otherwise: the answer must not depend on
     * which one is read); a parameter given without a value ({@code ?size=}) is "", never absent.
     */
    private static Map<String, String> once(UriInfo uri, String... names) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        for (String name : names) {
            List<String> given = uri.getQueryParameters().get(name);
            if (given != null && given.size() > 1) {
                errors.add(new Problem.FieldError(name, "is given " + given.size() + " times; give it once"));
            } else if (given != null) {
                values.put(name, given.isEmpty() || given.get(0) == null ? "" : given.get(0));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors));
        }
        return values;
    }

    private static Long required(String field, String value, List<Problem.FieldError> errors) {
        if (value == null) {
            errors.add(new Problem.FieldError(field, "is required: a tree size, at least 1"));
            return null;
        }
        return whole(field, value, 1, errors);
    }

    private static long whole(String field, String value, long min) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Long n = whole(field, value, min, errors);
        if (n == null) {
            throw new ProblemException(Problem.invalid(errors));
        }
        return n;
    }

    /** A whole number of ASCII digits in {@code [min, 2^63 - 1]}, or null with an error. */
    private static Long whole(String field, String value, long min, List<Problem.FieldError> errors) {
        String message = "must be a whole number from " + min + " to " + Long.MAX_VALUE;
        if (!WHOLE.matcher(value).matches()) {
            errors.add(new Problem.FieldError(field, message));
            return null;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // more than 2^63 - 1
        }
        errors.add(new Problem.FieldError(field, message));
        return null;
    }
}
