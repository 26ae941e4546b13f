package io.meridian.records;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The text forms the store writes: wrapped code lists, data-center lists, COPY fields. */
class RecordStoreFormatTest {

    @Test
    void codeListsAreWrappedInCommasSoThatLikeFindsWholeCodes() {
        assertThat(RecordStore.wrap(new TreeSet<>(List.of("US", "EU")))).isEqualTo(",EU,US,");
        assertThat(RecordStore.wrap(List.of())).isEqualTo(",");
        // "%,US,%" must not match a code that merely contains US
        assertThat(RecordStore.wrap(List.of("USX")).contains(",US,")).isFalse();
    }

    @Test
    void dataCenterListsRoundTrip() {
        List<RoutingRecord.Site> sites = List.of(new RoutingRecord.Site("eu-fra", "EU", 2, true),
                new RoutingRecord.Site("us-sjc", "US", 1, false));
        assertThat(RecordStore.sites(sites)).isEqualTo("eu-fra:EU:2:P;us-sjc:US:1:-");
        assertThat(RecordStore.parseSites(RecordStore.sites(sites))).isEqualTo(sites);
        assertThat(RecordStore.parseSites("")).isEmpty();
    }

    @Test
    void copyFieldsEscapeWhatTheTextFormatReserves() {
        assertThat(RecordStore.field(new StringBuilder(), null)).hasToString("\\N");
        assertThat(RecordStore.field(new StringBuilder(), "a\tb\nc\rd\\e")).hasToString("a\\tb\\nc\\rd\\\\e");
        assertThat(RecordStore.field(new StringBuilder(), "weekly-sync:42@acme.io")).hasToString("weekly-sync:42@acme.io");
        assertThat(RecordStore.field(new StringBuilder(), "plain-id")).hasToString("plain-id");
        assertThat(RecordStore.field(new StringBuilder("x"), "ends\\")).hasToString("xends\\\\");
    }
}
