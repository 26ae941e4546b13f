package io.meridian.security;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailedAttemptLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private void advanceSeconds(double s) {
        nanos.addAndGet((long) (s * 1e9));
    }

    @Test
    void shouldRefuseASourceAfterItsBurstAndLetItTryAgainAsTokensComeBack() {
        FailedAttemptLimiter limiter = new FailedAttemptLimiter(3, 60, 100, nanos::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.refusedForSeconds("10.0.0.1")).isZero();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.refusedForSeconds("10.0.0.1")).isEqualTo(1);
        assertThat(limiter.refusedForSeconds("10.0.0.2")).as("other sources are not affected").isZero();

        advanceSeconds(1.01);
        assertThat(limiter.refusedForSeconds("10.0.0.1")).isZero();
        limiter.failed("10.0.0.1");
        assertThat(limiter.refusedForSeconds("10.0.0.1")).isEqualTo(1);
    }

    @Test
    void shouldSayHowLongTheRefusalLasts() {
        FailedAttemptLimiter limiter = new FailedAttemptLimiter(1, 6, 100, nanos::get);
        limiter.failed("a");
        assertThat(limiter.refusedForSeconds("a")).isEqualTo(10);
        advanceSeconds(4.5);
        assertThat(limiter.refusedForSeconds("a")).isEqualTo(6);
    }

    @Test
    void shouldKeepNoBucketForSourcesThatNeverFailedAndForgetRefilledOnes() {
        FailedAttemptLimiter limiter = new FailedAttemptLimiter(2, 60, 100, nanos::get);
        for (int i = 0; i < 1000; i++) {
            limiter.refusedForSeconds("10.1." + i);
        }
        assertThat(limiter.sources()).isZero();
        limiter.failed("x");
        advanceSeconds(5);
        limiter.prune();
        assertThat(limiter.sources()).isZero();
    }

    @Test
    void shouldShareOneBudgetAmongSourcesThatFindNoRoom() {
        FailedAttemptLimiter limiter = new FailedAttemptLimiter(5, 60, 10, nanos::get);
        for (int i = 0; i < 10_000; i++) {
            limiter.failed("198.51.100." + i);
        }
        assertThat(limiter.sources()).isLessThanOrEqualTo(11);
        assertThat(limiter.refusedForSeconds(FailedAttemptLimiter.OVERFLOW)).isPositive();
    }

    @Test
    void shouldRejectASenselessConfiguration() {
        assertThatThrownBy(() -> new FailedAttemptLimiter(0, 60, 10, nanos::get))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailedAttemptLimiter(1, 0, 10, nanos::get))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
