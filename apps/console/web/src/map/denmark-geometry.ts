/**
 * Denmark's 98 municipalities as SVG paths, decoded from the TopoJSON beside this file
 * (kommuner.topojson, DAGI boundaries, Klimadatastyrelsen; see SOURCE.md). Pure: no DOM, no
 * fetching, so the unit specs read the real file.
 *
 * Projection: equirectangular with longitude scaled by cos(56°), which at Denmark's size (about
 * 350 km) keeps shapes true to within a few per cent; Bornholm (0400) is drawn in an inset box in
 * the north-east corner, as Danish maps do. Arcs are thinned after projection (a point closer than
 * `minStep` to the previous kept one is dropped; an arc's end points are always kept, so
 * neighbours still share their borders exactly).
 */

/** The part of TopoJSON this file uses (quantized, one GeometryCollection of Polygons/MultiPolygons). */
export interface Topology {
  type: 'Topology';
  transform?: { scale: [number, number]; translate: [number, number] };
  arcs: number[][][];
  objects: Record<string, { type: 'GeometryCollection'; geometries: TopoGeometry[] }>;
}
export type TopoGeometry =
  | { type: 'Polygon'; arcs: number[][]; properties?: { KOMKODE?: string; KOMNAVN?: string } }
  | { type: 'MultiPolygon'; arcs: number[][][]; properties?: { KOMKODE?: string; KOMNAVN?: string } };

/** One municipality as the map draws it. */
export interface MunicipalityShape {
  /** 4-digit kommunekode, e.g. `0751`. */
  code: string;
  /** Name as libs/members spells it (DAWA), e.g. `Aarhus`. */
  name: string;
  /** SVG path data in the map's coordinates (every island of the municipality). */
  d: string;
  /** Whether it is drawn in the inset (Bornholm). */
  inset: boolean;
}

export interface DenmarkShapes {
  width: number;
  height: number;
  /** The 98 municipalities in kommunekode order. */
  shapes: MunicipalityShape[];
  /** The inset's frame (Bornholm), in map coordinates. */
  insetFrame: { x: number; y: number; width: number; height: number };
}

/** The map's width in SVG units; the height follows from Denmark's shape. */
export const mapWidth = 600;
const minStep = 1;
const lonScale = Math.cos((56 * Math.PI) / 180);
/** Main Denmark's extent (without Bornholm and Christiansø), degrees. */
const west = 8.07;
const east = 12.8;
const south = 54.55;
const north = 57.76;
const unit = mapWidth / ((east - west) * lonScale);
/** Bornholm is moved by this many degrees into the empty north-east corner. */
const bornholmShift: [number, number] = [-2.42, 2.38];
export const bornholmCode = '0400';

/**
 * The 98 municipalities by kommunekode, named as libs/members names them (DAWA spelling; the spec
 * holds this list equal to libs/members'). The console does not bundle libs/members (it brings
 * zod and the parsers), and the boundaries' `KOMNAVN` is the 2014 spelling (`Høje Taastrup`).
 */
// prettier-ignore
const municipalityNames = new Map<string, string>([
  ['0101', 'København'], ['0147', 'Frederiksberg'], ['0151', 'Ballerup'], ['0153', 'Brøndby'], ['0155', 'Dragør'], ['0157', 'Gentofte'],
  ['0159', 'Gladsaxe'], ['0161', 'Glostrup'], ['0163', 'Herlev'], ['0165', 'Albertslund'], ['0167', 'Hvidovre'], ['0169', 'Høje-Taastrup'],
  ['0173', 'Lyngby-Taarbæk'], ['0175', 'Rødovre'], ['0183', 'Ishøj'], ['0185', 'Tårnby'], ['0187', 'Vallensbæk'], ['0190', 'Furesø'],
  ['0201', 'Allerød'], ['0210', 'Fredensborg'], ['0217', 'Helsingør'], ['0219', 'Hillerød'], ['0223', 'Hørsholm'], ['0230', 'Rudersdal'],
  ['0240', 'Egedal'], ['0250', 'Frederikssund'], ['0253', 'Greve'], ['0259', 'Køge'], ['0260', 'Halsnæs'], ['0265', 'Roskilde'],
  ['0269', 'Solrød'], ['0270', 'Gribskov'], ['0306', 'Odsherred'], ['0316', 'Holbæk'], ['0320', 'Faxe'], ['0326', 'Kalundborg'],
  ['0329', 'Ringsted'], ['0330', 'Slagelse'], ['0336', 'Stevns'], ['0340', 'Sorø'], ['0350', 'Lejre'], ['0360', 'Lolland'],
  ['0370', 'Næstved'], ['0376', 'Guldborgsund'], ['0390', 'Vordingborg'], ['0400', 'Bornholm'], ['0410', 'Middelfart'], ['0420', 'Assens'],
  ['0430', 'Faaborg-Midtfyn'], ['0440', 'Kerteminde'], ['0450', 'Nyborg'], ['0461', 'Odense'], ['0479', 'Svendborg'], ['0480', 'Nordfyns'],
  ['0482', 'Langeland'], ['0492', 'Ærø'], ['0510', 'Haderslev'], ['0530', 'Billund'], ['0540', 'Sønderborg'], ['0550', 'Tønder'],
  ['0561', 'Esbjerg'], ['0563', 'Fanø'], ['0573', 'Varde'], ['0575', 'Vejen'], ['0580', 'Aabenraa'], ['0607', 'Fredericia'],
  ['0615', 'Horsens'], ['0621', 'Kolding'], ['0630', 'Vejle'], ['0657', 'Herning'], ['0661', 'Holstebro'], ['0665', 'Lemvig'],
  ['0671', 'Struer'], ['0706', 'Syddjurs'], ['0707', 'Norddjurs'], ['0710', 'Favrskov'], ['0727', 'Odder'], ['0730', 'Randers'],
  ['0740', 'Silkeborg'], ['0741', 'Samsø'], ['0746', 'Skanderborg'], ['0751', 'Aarhus'], ['0756', 'Ikast-Brande'], ['0760', 'Ringkøbing-Skjern'],
  ['0766', 'Hedensted'], ['0773', 'Morsø'], ['0779', 'Skive'], ['0787', 'Thisted'], ['0791', 'Viborg'], ['0810', 'Brønderslev'],
  ['0813', 'Frederikshavn'], ['0820', 'Vesthimmerlands'], ['0825', 'Læsø'], ['0840', 'Rebild'], ['0846', 'Mariagerfjord'], ['0849', 'Jammerbugt'],
  ['0851', 'Aalborg'], ['0860', 'Hjørring'],
]);
/** The 98 kommunekoder the map draws, in order (Christiansø, 0411, is in the boundaries but is no municipality). */
export const municipalityCodes: readonly string[] = [...municipalityNames.keys()];

/** A kommunekode in its 4-digit form (`751` → `0751`), or undefined for anything else. */
export function normalizeCode(code: string | number): string | undefined {
  const text = String(code).trim();
  if (!/^\d{1,4}$/.test(text)) return undefined;
  const padded = text.padStart(4, '0');
  return municipalityNames.has(padded) ? padded : undefined;
}

/** The arcs' positions in degrees (TopoJSON delta-encodes quantized arcs; a third value, if any, is dropped). */
export function decodeArcs(topology: Topology): Array<Array<[number, number]>> {
  const t = topology.transform;
  return topology.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map((position) => {
      if (!t) return [position[0]!, position[1]!];
      x += position[0]!;
      y += position[1]!;
      return [x * t.scale[0] + t.translate[0], y * t.scale[1] + t.translate[1]];
    });
  });
}

export function project([lon, lat]: [number, number], inset: boolean): [number, number] {
  const [dx, dy] = inset ? bornholmShift : [0, 0];
  return [(lon + dx - west) * lonScale * unit, (north - (lat + dy)) * unit];
}

/** Points closer than `step` to the last kept one are dropped; the first and last always stay. */
export function thin(points: Array<[number, number]>, step: number): Array<[number, number]> {
  if (points.length <= 2) return points;
  const kept: Array<[number, number]> = [points[0]!];
  for (let i = 1; i < points.length - 1; i++) {
    const [x, y] = points[i]!;
    const [px, py] = kept[kept.length - 1]!;
    if (Math.hypot(x - px, y - py) >= step) kept.push(points[i]!);
  }
  kept.push(points[points.length - 1]!);
  return kept;
}

const fixed = (n: number) => Math.round(n * 10) / 10;

/** Decodes the topology into one path per municipality (islands of the same code joined). */
export function denmarkShapes(topology: Topology): DenmarkShapes {
  const object = Object.values(topology.objects)[0];
  if (!object) throw new Error('the topology has no object');
  const arcs = decodeArcs(topology);
  const projected = new Map<string, Array<[number, number]>>();
  const arcPoints = (index: number, inset: boolean): Array<[number, number]> => {
    const i = index < 0 ? ~index : index;
    const key = `${i}:${inset}`;
    let points = projected.get(key);
    if (!points) {
      points = thin(
        arcs[i]!.map((p) => project(p, inset)),
        minStep,
      );
      projected.set(key, points);
    }
    return index < 0 ? [...points].reverse() : points;
  };
  const ring = (indexes: number[], inset: boolean): string => {
    const points: Array<[number, number]> = [];
    indexes.forEach((index, n) => {
      const part = arcPoints(index, inset);
      // Consecutive arcs share their joining point.
      points.push(...(n === 0 ? part : part.slice(1)));
    });
    return 'M' + points.map(([x, y]) => `${fixed(x)},${fixed(y)}`).join('L') + 'Z';
  };
  const paths = new Map<string, string[]>();
  for (const geometry of object.geometries) {
    const code = geometry.properties?.KOMKODE;
    if (!code || !municipalityNames.has(code)) continue;
    const inset = code === bornholmCode;
    const polygons = geometry.type === 'Polygon' ? [geometry.arcs] : geometry.arcs;
    const parts = paths.get(code) ?? [];
    for (const polygon of polygons) parts.push(polygon.map((r) => ring(r, inset)).join(''));
    paths.set(code, parts);
  }
  const shapes = municipalityCodes
    .filter((code) => paths.has(code))
    .map((code) => ({ code, name: municipalityNames.get(code)!, d: paths.get(code)!.join(''), inset: code === bornholmCode }));
  const [fx, fy] = project([14.63, 55.33], true);
  const [gx, gy] = project([15.21, 54.96], true);
  return {
    width: mapWidth,
    height: Math.ceil((north - south) * unit),
    shapes,
    insetFrame: { x: fixed(fx), y: fixed(fy), width: fixed(gx - fx), height: fixed(gy - fy) },
  };
}

/** The shape of a kommunekode (3- or 4-digit), or undefined for a code that is no municipality. */
export function shapeOf(shapes: DenmarkShapes, code: string | number): MunicipalityShape | undefined {
  const normalized = normalizeCode(code);
  return normalized === undefined ? undefined : shapes.shapes.find((s) => s.code === normalized);
}

/** The municipality's name (libs/members, DAWA spelling), or undefined. */
export function municipalityName(code: string | number): string | undefined {
  const normalized = normalizeCode(code);
  return normalized === undefined ? undefined : municipalityNames.get(normalized);
}
