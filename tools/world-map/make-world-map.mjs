// Development-time tool (never part of the build): turns Natural Earth's 1:110m admin-0 countries,
// as redistributed in TopoJSON by the npm package world-atlas, into the GeoJSON file the console
// bundles (src/main/resources/META-INF/resources/console/data/world-110m.geo.json).
//
//   npm pack world-atlas@2.0.2 topojson-client@3.1.0   # in a scratch folder, unpack both
//   node make-world-map.mjs WORLD_ATLAS_DIR TOPOJSON_CLIENT_DIR OUTPUT [DECIMALS]
//
// What it changes: polygons across the antimeridian are drawn on both edges (see polygons());
// Antarctica is dropped (no data center, and it would take a fifth of the map's
// height); coordinates are rounded to DECIMALS (default 1, about 11 km: below one pixel on a
// 1,400-pixel-wide world map) and repeated points removed, so borders shared by two countries stay
// identical point for point (the console finds region outlines by them). Properties kept: name.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [atlasDir, clientDir, output, decimalsArg] = process.argv.slice(2);
if (!atlasDir || !clientDir || !output) {
  console.error('usage: node make-world-map.mjs WORLD_ATLAS_DIR TOPOJSON_CLIENT_DIR OUTPUT [DECIMALS]');
  process.exit(2);
}
const decimals = Number(decimalsArg ?? 1);
const { feature } = await import(pathToFileURL(join(clientDir, 'dist', 'topojson-client.js')).href)
  .then((m) => m.default ?? m);
const atlasPackage = JSON.parse(readFileSync(join(atlasDir, 'package.json'), 'utf8'));
const topology = JSON.parse(readFileSync(join(atlasDir, 'countries-110m.json'), 'utf8'));
const countries = feature(topology, topology.objects.countries);

const factor = 10 ** decimals;
const round = (v) => Math.round(v * factor) / factor;
function ring(points) {
  const out = [];
  for (const [lon, lat] of points) {
    const p = [round(lon), round(lat)];
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return out.length >= 4 ? out : null;
}
// A polygon crossing the antimeridian (Fiji, Chukotka) jumps from 180 to -180 inside a ring, which a
// flat map would draw as a line across the world: such a polygon is made continuous past 180 and
// drawn twice, once as it is (cut off at the right edge) and once 360 degrees west (at the left edge).
const crosses = (rings) => rings.some((r) => r.some((p, i) => i > 0 && Math.abs(p[0] - r[i - 1][0]) > 180));
const shift = (rings, by) => rings.map((r) => r.map(([lon, lat]) => [round((lon < 0 ? lon + 360 : lon) + by), lat]));
function polygons(geometry) {
  const list = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return list.map((rings) => rings.map(ring).filter(Boolean)).filter((rings) => rings.length > 0)
    .flatMap((rings) => (crosses(rings) ? [shift(rings, 0), shift(rings, -360)] : [rings]));
}

const features = [];
for (const f of countries.features) {
  if (!f.geometry || f.properties.name === 'Antarctica') continue;
  const parts = polygons(f.geometry);
  if (parts.length === 0) continue;
  features.push({
    type: 'Feature',
    id: f.id ?? null,
    properties: { name: f.properties.name },
    geometry: parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] }
      : { type: 'MultiPolygon', coordinates: parts },
  });
}
const collection = {
  type: 'FeatureCollection',
  source: 'Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries, version 4.1.0 '
    + '(https://www.naturalearthdata.com/downloads/110m-cultural-vectors/), public domain; '
    + `via the npm package world-atlas ${atlasPackage.version} (TopoJSON, ISC licence, Mike Bostock), `
    + `converted with topojson-client; Antarctica dropped, coordinates rounded to ${decimals} decimal(s).`,
  license: 'Natural Earth data is in the public domain: https://www.naturalearthdata.com/about/terms-of-use/',
  features,
};
writeFileSync(output, JSON.stringify(collection));
console.log(`${features.length} countries, ${JSON.stringify(collection).length} bytes -> ${output}`);
