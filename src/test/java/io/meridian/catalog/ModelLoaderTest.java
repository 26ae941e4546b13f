package io.meridian.catalog;

import io.meridian.core.DataCenterModel;
import io.meridian.core.LatencyModel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLoaderTest {

    private static DataCenterModel load(String yaml) {
        return ModelLoader.load("test", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                LatencyModel.DEFAULT);
    }

    @Test
    void shouldLoadTheBundledModel() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ModelLoader.BUNDLED)) {
            DataCenterModel model = ModelLoader.load("bundled", in, LatencyModel.BACKBONE);
            assertThat(model.regions()).extracting(r -> r.code())
                    .containsExactly("AU", "CA", "CN", "EU", "HK", "IN", "JP", "LA", "SG", "US");
            assertThat(model.size()).isBetween(20, 25);
            assertThat(model.regions()).allSatisfy(r -> assertThat(model.dataCenterIds(r.code())).isNotEmpty());
            // Frankfurt - Amsterdam is about 360 km: a short backbone hop
            assertThat(model.linkRttMs(model.indexOf("eu-fra"), model.indexOf("eu-ams"))).isBetween(2.0, 10.0);
        }
    }

    @Test
    void shouldAcceptJsonToo() {
        DataCenterModel model = load("""
                {"regions": [{"code": "EU", "name": "Europe"}],
                 "dataCenters": [{"id": "eu-x", "city": "X", "region": "EU", "latitude": 1, "longitude": 2, "capacity": 5}]}
                """);
        assertThat(model.size()).isEqualTo(1);
    }

    @Test
    void shouldNameEveryBadEntry() {
        assertThatThrownBy(() -> load("""
                regions:
                  - {code: EU, name: Europe}
                  - {code: EU, name: Again}
                  - {code: eu, name: lower}
                dataCenters:
                  - {id: eu-fra, city: Frankfurt, region: EU, latitude: 50.1, longitude: 8.7, capacity: 100}
                  - {id: eu-fra, city: Dup, region: EU, latitude: 50.1, longitude: 8.7, capacity: 100}
                  - {id: us-x, city: Nowhere, region: US, latitude: 95, longitude: 8.7, capacity: 0}
                  - {id: Bad_Id, city: "", region: EU, latitude: 1, longitude: 1, capacity: 1}
                """))
                .isInstanceOf(ModelException.class)
                .satisfies(e -> assertThat(((ModelException) e).problems()).containsExactly(
                        "regions[1] (EU): duplicate region code",
                        "regions[2] (eu): code must be 2-16 upper-case letters, digits or '_'",
                        "dataCenters[1] (eu-fra): duplicate data center id",
                        "dataCenters[2] (us-x): region 'US' is not one of the model's regions",
                        "dataCenters[2] (us-x): latitude must be in [-90, 90] and longitude in [-180, 180]",
                        "dataCenters[2] (us-x): capacity must be a positive number of participants",
                        "dataCenters[3] (Bad_Id): id must be 1-63 lower-case letters, digits or '-', starting with a letter or digit",
                        "dataCenters[3] (Bad_Id): city is required"))
                .hasMessageContaining("Invalid data-center model test");
    }

    @Test
    void shouldRejectUnknownFieldsWrongTypesAndBrokenYaml() {
        assertThatThrownBy(() -> load("regions: []\ndataCenters: []\nextra: 1\n"))
                .isInstanceOf(ModelException.class).hasMessageContaining("extra");
        assertThatThrownBy(() -> load("""
                regions: [{code: EU, name: Europe}]
                dataCenters: [{id: a, city: A, region: EU, latitude: 1, longitude: 1, capacity: lots}]
                """)).isInstanceOf(ModelException.class).hasMessageContaining("dataCenters[0].capacity");
        assertThatThrownBy(() -> load("regions: [ {code: EU\n")).isInstanceOf(ModelException.class)
                .hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> load("")).isInstanceOf(ModelException.class);
        assertThatThrownBy(() -> load("regions: []\ndataCenters: []\n")).isInstanceOf(ModelException.class)
                .hasMessageContaining("at least one region");
    }
}
