package io.meridian.security;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Key checks without a database: a store that counts its calls. */
class IntegrationKeysTest {

    /** A store in memory that counts every call, as a database round trip each. */
    static final class CountingStore extends IntegrationKeyStore {
        final AtomicInteger calls = new AtomicInteger();
        final List<Row> rows = new ArrayList<>();
        long created;
        long revoked;

        CountingStore() {
            super(null);
        }

        @Override
        public long changeMark() {
            calls.incrementAndGet();
            // as the table: rows are never deleted, so creations plus revocations
            return created + revoked;
        }

        @Override
        public List<Row> active() {
            calls.incrementAndGet();
            return List.copyOf(rows);
        }

        @Override
        public int countActive(String integration, String accountId) {
            calls.incrementAndGet();
            return (int) rows.stream().filter(r -> r.accountId().equals(accountId)).count();
        }

        @Override
        public void insert(Row row) {
            calls.incrementAndGet();
            rows.add(row);
            created++;
        }

        @Override
        public boolean revoke(String integration, String accountId, String id, Instant at, String by) {
            calls.incrementAndGet();
            boolean removed = rows.removeIf(r -> r.id().equals(id) && r.accountId().equals(accountId));
            if (removed) {
                revoked++;
            }
            return removed;
        }

        @Override
        public void lastUsed(Map<String, Instant> byId) {
            calls.incrementAndGet();
        }
    }

    static IntegrationKeyConfig config(int burst) {
        return new IntegrationKeyConfig() {
            @Override
            public Duration refreshInterval() {
                return Duration.ofSeconds(1);
            }

            @Override
            public Duration lastUsedFlushInterval() {
                return Duration.ofSeconds(30);
            }

            @Override
            public int maxPerAccount() {
                return 10;
            }

            @Override
            public int failedAttemptsBurst() {
                return burst;
            }

            @Override
            public double failedAttemptsPerMinute() {
                return 60;
            }

            @Override
            public int failedAttemptsMaxSources() {
                return 10_000;
            }
        };
    }

    private static String randomKey() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Test
    void tenThousandRandomKeysShouldCostNoDatabaseRoundTrip() {
        CountingStore store = new CountingStore();
        IntegrationKeys keys = new IntegrationKeys(store, config(20));
        keys.create("jicofo", "acme", "admin");
        int before = store.calls.get();
        int unknown = 0;
        int refused = 0;
        for (int i = 0; i < 10_000; i++) {
            IntegrationKeys.Check check = keys.check("jicofo", randomKey(), "203.0.113." + (i % 5));
            if (check instanceof IntegrationKeys.Unknown) {
                unknown++;
            } else if (check instanceof IntegrationKeys.Refused) {
                refused++;
            }
        }
        assertThat(store.calls.get()).isEqualTo(before);
        assertThat(unknown).as("20 tries for each of 5 sources, then refusals").isEqualTo(100);
        assertThat(refused).isEqualTo(9_900);
    }

    @Test
    void aCreatedKeyShouldWorkAtOnceAndARevokedOneStopAtOnce() {
        CountingStore store = new CountingStore();
        IntegrationKeys keys = new IntegrationKeys(store, config(20));
        IntegrationKeys.Created created = keys.create("jicofo", "acme", "admin");

        assertThat(created.key()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(store.rows.get(0).keyHash()).hasSize(64).doesNotContain(created.key());
        assertThat(keys.find("jicofo", created.key())).map(IntegrationKeys.Grant::accountId).contains("acme");
        assertThat(keys.find("other-integration", created.key())).isEmpty();

        assertThat(keys.revoke("jicofo", "another-account", created.id(), "admin")).isFalse();
        assertThat(keys.revoke("jicofo", "acme", created.id(), "admin")).isTrue();
        assertThat(keys.find("jicofo", created.key())).isEmpty();
    }

    @Test
    void aChangeMadeElsewhereShouldArriveWithTheNextRefresh() {
        CountingStore store = new CountingStore();
        IntegrationKeys here = new IntegrationKeys(store, config(20));
        IntegrationKeys there = new IntegrationKeys(store, config(20));
        IntegrationKeys.Created created = there.create("jicofo", "acme", "admin");

        assertThat(here.find("jicofo", created.key())).isEmpty();
        here.refresh();
        assertThat(here.find("jicofo", created.key())).isPresent();

        there.revoke("jicofo", "acme", created.id(), "admin");
        int before = store.calls.get();
        here.refresh();
        assertThat(here.find("jicofo", created.key())).isEmpty();
        here.refresh();
        assertThat(store.calls.get() - before).as("a refresh without change reads one number").isEqualTo(4);
    }

    @Test
    void shouldStillGrantAValidKeyFromASourceThatIsRefused() {
        CountingStore store = new CountingStore();
        IntegrationKeys keys = new IntegrationKeys(store, config(2));
        String key = keys.create("jicofo", "acme", "admin").key();
        keys.check("jicofo", randomKey(), "198.51.100.7");
        keys.check("jicofo", randomKey(), "198.51.100.7");

        assertThat(keys.check("jicofo", randomKey(), "198.51.100.7")).isInstanceOf(IntegrationKeys.Refused.class);
        assertThat(keys.check("jicofo", key, "198.51.100.7")).isInstanceOf(IntegrationKeys.Granted.class);
        assertThat(keys.check("jicofo", randomKey(), "198.51.100.8")).isInstanceOf(IntegrationKeys.Unknown.class);
    }

    @Test
    void shouldTellMalformedKeysAtOnce() {
        assertThat(IntegrationKeys.wellFormed("A".repeat(43))).isTrue();
        assertThat(IntegrationKeys.wellFormed("A".repeat(42))).isFalse();
        assertThat(IntegrationKeys.wellFormed("A".repeat(42) + "=")).isFalse();
        assertThat(IntegrationKeys.wellFormed(null)).isFalse();
        assertThat(Optional.of(new CountingStore()).map(s -> new IntegrationKeys(s, config(1)))
                .map(k -> k.find("jicofo", "../../etc/passwd"))).contains(Optional.empty());
    }
}
