package io.meridian.core;

import java.util.List;

/** Small hand-made models for engine tests. */
final class TestModels {

    static final GeoPoint FRANKFURT = new GeoPoint(50.11, 8.68);
    static final GeoPoint SAN_JOSE = new GeoPoint(37.34, -121.89);
    static final GeoPoint NEW_YORK = new GeoPoint(40.71, -74.01);
    static final GeoPoint SINGAPORE = new GeoPoint(1.35, 103.82);
    static final GeoPoint SHANGHAI = new GeoPoint(31.23, 121.47);
    static final GeoPoint HONG_KONG = new GeoPoint(22.32, 114.17);
    static final GeoPoint TOKYO = new GeoPoint(35.68, 139.65);
    static final GeoPoint SYDNEY = new GeoPoint(-33.87, 151.21);
    static final GeoPoint MUMBAI = new GeoPoint(19.08, 72.88);

    private TestModels() {
    }

    /** One data center per region, capacities as given (utilization limit 1 in tests unless stated). */
    static DataCenterModel world(int capacity) {
        return new DataCenterModel(
                List.of(new Region("EU", "Europe"), new Region("US", "United States"), new Region("SG", "Singapore"),
                        new Region("CN", "Mainland China"), new Region("HK", "Hong Kong"), new Region("JP", "Japan"),
                        new Region("AU", "Australia"), new Region("IN", "India"), new Region("EMPTY", "No sites")),
                List.of(new DataCenter("eu-fra", "Frankfurt", "EU", FRANKFURT, capacity),
                        new DataCenter("us-sjc", "San Jose", "US", SAN_JOSE, capacity),
                        new DataCenter("us-nyc", "New York", "US", NEW_YORK, capacity),
                        new DataCenter("sg-sin", "Singapore", "SG", SINGAPORE, capacity),
                        new DataCenter("cn-sha", "Shanghai", "CN", SHANGHAI, capacity),
                        new DataCenter("hk-hkg", "Hong Kong", "HK", HONG_KONG, capacity),
                        new DataCenter("jp-tyo", "Tokyo", "JP", TOKYO, capacity),
                        new DataCenter("au-syd", "Sydney", "AU", SYDNEY, capacity),
                        new DataCenter("in-bom", "Mumbai", "IN", MUMBAI, capacity)),
                LatencyModel.BACKBONE);
    }
}
