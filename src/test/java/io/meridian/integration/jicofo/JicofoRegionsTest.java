package io.meridian.integration.jicofo;

import io.meridian.core.BridgeSelection;
import io.meridian.core.DataCenter;
import io.meridian.core.DataCenterModel;
import io.meridian.core.GeoPoint;
import io.meridian.core.LatencyModel;
import io.meridian.core.Region;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JicofoRegionsTest {

    private static final DataCenterModel MODEL = new DataCenterModel(
            List.of(new Region("EU", "Europe"), new Region("US", "United States")),
            List.of(new DataCenter("eu-fra", "Frankfurt", "EU", new GeoPoint(50.11, 8.68), 100),
                    new DataCenter("us-iad", "Ashburn", "US", new GeoPoint(39.04, -77.49), 100)),
            LatencyModel.BACKBONE);

    @Test
    void shouldMapConfiguredNamesAndDataCenterIdsIgnoringCase() {
        JicofoRegions regions = new JicofoRegions(Map.of("us-east-1", "us-iad", "Frankfurt", "eu-fra"), MODEL);

        assertThat(regions.dataCenter("us-east-1")).isEqualTo(MODEL.indexOf("us-iad"));
        assertThat(regions.dataCenter("US-EAST-1")).isEqualTo(MODEL.indexOf("us-iad"));
        assertThat(regions.dataCenter("frankfurt")).isEqualTo(MODEL.indexOf("eu-fra"));
        assertThat(regions.dataCenter("eu-fra")).isEqualTo(MODEL.indexOf("eu-fra"));
        assertThat(regions.dataCenter("EU-FRA")).isEqualTo(MODEL.indexOf("eu-fra"));
        assertThat(regions.dataCenter("EU")).as("a region code is no data center").isEqualTo(BridgeSelection.NO_DATA_CENTER);
        assertThat(regions.dataCenter(null)).isEqualTo(BridgeSelection.NO_DATA_CENTER);
        assertThat(regions.mapping()).containsEntry("us-east-1", "us-iad").containsEntry("eu-fra", "eu-fra");
    }

    @Test
    void shouldRefuseToStartWithAMappingToAnUnknownDataCenter() {
        assertThatThrownBy(() -> new JicofoRegions(Map.of("mars-1", "mars-base", "us-east-1", "us-iad"), MODEL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("meridian.jicofo.regions.mars-1=mars-base");
    }

    @Test
    void thePublicUrlShouldBeAnAbsoluteHttpUrl() {
        assertThat(SelectionUrls.base("https://meridian.example.com/")).isEqualTo("https://meridian.example.com");
        assertThat(SelectionUrls.base(" http://10.0.0.5:8080 ")).isEqualTo("http://10.0.0.5:8080");
        assertThat(SelectionUrls.base("https://example.com/meridian")).isEqualTo("https://example.com/meridian");
        for (String bad : List.of("meridian.example.com", "ftp://x", "https://x?y=1", "https://x/#f", "::")) {
            assertThatThrownBy(() -> SelectionUrls.base(bad)).as(bad).isInstanceOf(IllegalStateException.class);
        }
    }
}
