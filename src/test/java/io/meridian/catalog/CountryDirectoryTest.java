package io.meridian.catalog;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CountryDirectoryTest {

    private final CountryDirectory countries = CountryDirectory.bundled();

    @Test
    void shouldKnowEveryIsoCountryCode() {
        for (String code : Locale.getISOCountries()) {
            assertThat(countries.find(code)).as(code).isPresent();
        }
    }

    @Test
    void shouldPlaceCountriesWhereTheyAre() {
        assertThat(countries.find("de").orElseThrow().centroid().latitude()).isCloseTo(51.2, within(1.0));
        assertThat(countries.find("DE").orElseThrow().centroid().longitude()).isCloseTo(10.4, within(1.0));
        assertThat(countries.find("AU").orElseThrow().centroid().latitude()).isNegative();
        assertThat(countries.find("BR").orElseThrow().centroid().longitude()).isCloseTo(-51.9, within(2.0));
        assertThat(countries.find("SG").orElseThrow().centroid().latitude()).isCloseTo(1.35, within(0.2));
    }

    @Test
    void shouldNotInventCountries() {
        assertThat(countries.find("XX")).isEmpty();
        assertThat(countries.find("USA")).isEmpty();
        assertThat(countries.find(null)).isEmpty();
    }
}
