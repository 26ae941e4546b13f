package io.meridian.core;

/**
 * A point on the earth's surface in decimal degrees (WGS 84).
 *
 * @param latitude  degrees north, in [-90, 90]
 * @param longitude degrees east, in [-180, 180]
 */
public record GeoPoint(double latitude, double longitude) {

    /** Mean earth radius in kilometres (IUGG value, used by the haversine formula). */
    public static final double EARTH_RADIUS_KM = 6371.0088;

    public GeoPoint {
        if (!Double.isFinite(latitude) || latitude < -90.0 || latitude > 90.0) {
            throw new IllegalArgumentException("latitude must be a number between -90 and 90");
        }
        if (!Double.isFinite(longitude) || longitude < -180.0 || longitude > 180.0) {
            throw new IllegalArgumentException("longitude must be a number between -180 and 180");
        }
    }

    /** True when both values are finite and within range, so the constructor would accept them. */
    public static boolean isValid(double latitude, double longitude) {
        return Double.isFinite(latitude) && Double.isFinite(longitude)
                && latitude >= -90.0 && latitude <= 90.0
                && longitude >= -180.0 && longitude <= 180.0;
    }

    /**
     * Great-circle distance. Computed through unit vectors: the chord between the two points on the
     * unit sphere gives the central angle as {@code 2 asin(chord / 2)}, which is the haversine
     * formula (R. W. Sinnott, "Virtues of the Haversine", Sky and Telescope 68(2), 1984) written
     * without the per-pair trigonometry, and stays accurate for small distances.
     */
    public double distanceKm(GeoPoint other) {
        return arcKm(unitVector(), other.unitVector());
    }

    /** This point as a unit vector {x, y, z} (earth-centred, earth-fixed on the unit sphere). */
    public double[] unitVector() {
        double phi = Math.toRadians(latitude);
        double lambda = Math.toRadians(longitude);
        double cosPhi = Math.cos(phi);
        return new double[]{cosPhi * Math.cos(lambda), cosPhi * Math.sin(lambda), Math.sin(phi)};
    }

    /** Great-circle distance in km between two points given as unit vectors. */
    public static double arcKm(double[] a, double[] b) {
        return arcKm(a[0], a[1], a[2], b[0], b[1], b[2]);
    }

    /** Great-circle distance in km between two points given as unit-vector components. */
    public static double arcKm(double ax, double ay, double az, double bx, double by, double bz) {
        return arcKm(chordSquared(ax, ay, az, bx, by, bz));
    }

    /**
     * The squared chord between two points given as unit-vector components: the key that orders
     * distances without a square root or an arcsine. It is evaluated as {@code (dx² + dy²) + dz²},
     * so it is never below {@code dz²} as a floating-point number (adding a non-negative number never
     * rounds below the other summand): the gap in {@code z} alone bounds it from below.
     */
    static double chordSquared(double ax, double ay, double az, double bx, double by, double bz) {
        double dx = ax - bx;
        double dy = ay - by;
        double dz = az - bz;
        return dx * dx + dy * dy + dz * dz;
    }

    /**
     * Great-circle distance in km for a squared chord ({@link #chordSquared}). Non-decreasing in
     * its argument as a floating-point function, not only in exact arithmetic: every step (square
     * root, halving, the cap at 1, {@link #asin}, multiplication by a positive constant) is. Routing
     * relies on that to rank data centers by the key and price only those it needs.
     */
    static double arcKm(double chordSquared) {
        double halfChord = Math.sqrt(chordSquared) / 2;
        return EARTH_RADIUS_KM * 2 * asin(Math.min(1.0, halfChord));
    }

    /** Taylor coefficients of asin: (2n)! / (4^n (n!)^2 (2n + 1)). */
    private static final double[] ASIN_SERIES = new double[22];

    static {
        double c = 1.0; // (2n)! / (4^n (n!)^2)
        for (int n = 0; n < ASIN_SERIES.length; n++) {
            ASIN_SERIES[n] = c / (2 * n + 1);
            c = c * (2 * n + 1) / (2 * n + 2);
        }
    }

    /** The series' value at 0.5, where {@link #asin} switches from the series to the identity. */
    private static final double ASIN_HALF = asinSeries(0.5);

    /**
     * arcsin on [0, 1], to within 1e-12 rad (a few micrometres on the earth's surface). Planning
     * evaluates it for every (location, site) pair, and {@link Math#asin} has no fast intrinsic: it
     * took half of a 50,000-participant plan. Series on [0, 0.5]; above, the identity
     * {@code asin(x) = π/2 - 2 asin(sqrt((1 - x) / 2))} brings the argument back below 0.5.
     *
     * <p>Non-decreasing as a floating-point function: the series is a polynomial in {@code x²} with
     * positive coefficients evaluated by Horner's rule on non-negative numbers, where each rounded
     * product and sum is monotone; the identity is monotone for the same reasons; and the identity's
     * values are held at or above the series' value at 0.5, so rounding cannot make the function step
     * down where the two meet (the hold changes a value by less than 1e-15 rad, if at all).
     */
    static double asin(double x) {
        if (x > 0.5) {
            return Math.max(ASIN_HALF, Math.PI / 2 - 2 * asinSeries(Math.sqrt((1 - x) / 2)));
        }
        return asinSeries(x);
    }

    private static double asinSeries(double x) {
        double x2 = x * x;
        double sum = 0;
        for (int n = ASIN_SERIES.length - 1; n >= 0; n--) {
            sum = sum * x2 + ASIN_SERIES[n];
        }
        return sum * x;
    }
}
