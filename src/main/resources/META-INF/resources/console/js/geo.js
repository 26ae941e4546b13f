// Map geometry: the Equal Earth projection and SVG path strings for GeoJSON polygons.
// Equal Earth: B. Šavrič, T. Patterson, B. Jenny, "The Equal Earth map projection", International
// Journal of Geographical Information Science 33(3), 2019; the polynomial coefficients are theirs.
const A1 = 1.340264;
const A2 = -0.081106;
const A3 = 0.000893;
const A4 = 0.003796;
const M = Math.sqrt(3) / 2;
const RAD = Math.PI / 180;

/** Equal Earth of (longitude, latitude) in degrees → unscaled [x, y], y up. */
export function equalEarth(lon, lat) {
  const l = Math.asin(M * Math.sin(lat * RAD));
  const l2 = l * l;
  const l6 = l2 * l2 * l2;
  return [
    (lon * RAD * Math.cos(l)) / (M * (A1 + 3 * A2 * l2 + l6 * (7 * A3 + 9 * A4 * l2))),
    l * (A1 + A2 * l2 + l6 * (A3 + A4 * l2)),
  ];
}

/**
 * A projection onto a width × height canvas showing latitudes south..north: returns
 * {width, height, project([lon, lat]) → [x, y]}.
 */
export function projection(width, south = -58, north = 84) {
  const [xMax] = equalEarth(180, 0);
  const scale = width / (2 * xMax);
  const top = equalEarth(0, north)[1] * scale;
  const height = Math.ceil(top - equalEarth(0, south)[1] * scale);
  return {
    width,
    height,
    project([lon, lat]) {
      const [x, y] = equalEarth(lon, lat);
      return [width / 2 + x * scale, top - y * scale];
    },
  };
}

const r1 = (v) => Math.round(v * 10) / 10;

/** The polygons of a GeoJSON Polygon or MultiPolygon geometry, as lists of rings. */
export function polygonsOf(geometry) {
  if (!geometry) return [];
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** SVG path data of a geometry's rings. */
export function pathOf(geometry, project) {
  let d = '';
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      ring.forEach((point, i) => {
        const [x, y] = project(point);
        d += `${i === 0 ? 'M' : 'L'}${r1(x)} ${r1(y)}`;
      });
      d += 'Z';
    }
  }
  return d;
}

/**
 * The outline of a group of countries with their shared borders left out: the edges that only one
 * ring of the group has (shared borders are the same points in both countries, in opposite order).
 */
export function outlineOf(geometries, project) {
  const key = (a, b) => (a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]) ? `${a}|${b}` : `${b}|${a}`);
  const counts = new Map();
  const rings = geometries.flatMap((g) => polygonsOf(g).flat());
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i += 1) {
      const k = key(ring[i - 1], ring[i]);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  let d = '';
  for (const ring of rings) {
    let drawing = false;
    for (let i = 1; i < ring.length; i += 1) {
      if (counts.get(key(ring[i - 1], ring[i])) !== 1) {
        drawing = false;
        continue;
      }
      if (!drawing) {
        const [x0, y0] = project(ring[i - 1]);
        d += `M${r1(x0)} ${r1(y0)}`;
        drawing = true;
      }
      const [x, y] = project(ring[i]);
      d += `L${r1(x)} ${r1(y)}`;
    }
  }
  return d;
}

/** SVG path data of a circle. */
export function circlePath(x, y, r) {
  return `M${r1(x - r)} ${r1(y)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;
}
