import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeArcs, denmarkShapes, municipalityCodes, municipalityName, normalizeCode, project, shapeOf, thin, type Topology } from './denmark-geometry';

const topology = JSON.parse(readFileSync(join(__dirname, 'kommuner.topojson'), 'utf8')) as Topology;
/** libs/members' list of the 98 (read as a file: the console's build does not reach libs/members). */
const municipalities = JSON.parse(readFileSync(join(__dirname, '../../../../../libs/members/src/data/municipalities.json'), 'utf8')) as Array<{
  code: string;
  name: string;
}>;
const map = denmarkShapes(topology);

/** Every number of a path's data as [x, y] pairs. */
const pointsOf = (d: string) => [...d.matchAll(/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
const bboxOf = (d: string) => {
  const points = pointsOf(d);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) };
};

describe('denmarkShapes', () => {
  it('draws exactly the 98 municipalities, each with a path, in kommunekode order and without Christiansø', () => {
    expect(map.shapes).toHaveLength(98);
    expect(map.shapes.map((s) => s.code)).toEqual(municipalities.map((m) => m.code));
    expect(map.shapes.map((s) => s.name)).toEqual(municipalities.map((m) => m.name));
    expect(municipalityCodes).toEqual(municipalities.map((m) => m.code));
    expect(shapeOf(map, '0411')).toBeUndefined();
    for (const shape of map.shapes) expect(shape.d).toMatch(/^M[\d.]+,[\d.]+L.*Z$/);
  });

  it('finds a shape by the 4- or 3-digit kommunekode and names it as libs/members does', () => {
    expect(shapeOf(map, '0751')?.name).toBe('Aarhus');
    expect(shapeOf(map, 751)?.code).toBe('0751');
    expect(shapeOf(map, '101')?.name).toBe('København');
    expect(shapeOf(map, '9999')).toBeUndefined();
    expect(shapeOf(map, 'aarhus')).toBeUndefined();
    expect(municipalityName('0825')).toBe('Læsø');
    expect(normalizeCode(' 147 ')).toBe('0147');
    expect(normalizeCode('12345')).toBeUndefined();
  });

  it('keeps every shape inside the view box and lays the municipalities out as on a map', () => {
    for (const shape of map.shapes) {
      const box = bboxOf(shape.d);
      expect(box.minX).toBeGreaterThanOrEqual(0);
      expect(box.minY).toBeGreaterThanOrEqual(0);
      expect(box.maxX).toBeLessThanOrEqual(map.width);
      expect(box.maxY).toBeLessThanOrEqual(map.height);
    }
    const centre = (code: string) => {
      const b = bboxOf(shapeOf(map, code)!.d);
      return { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 };
    };
    // Frederikshavn (north) above Aabenraa (south); Esbjerg (west) left of København (east).
    expect(centre('0813').y).toBeLessThan(centre('0580').y);
    expect(centre('0561').x).toBeLessThan(centre('0101').x);
  });

  it('draws Bornholm in its inset frame in the north-east, clear of every other municipality', () => {
    const bornholm = bboxOf(shapeOf(map, '0400')!.d);
    const frame = map.insetFrame;
    expect(shapeOf(map, '0400')!.inset).toBe(true);
    expect(bornholm.minX).toBeGreaterThanOrEqual(frame.x);
    expect(bornholm.maxX).toBeLessThanOrEqual(frame.x + frame.width);
    expect(bornholm.minY).toBeGreaterThanOrEqual(frame.y);
    expect(bornholm.maxY).toBeLessThanOrEqual(frame.y + frame.height);
    for (const shape of map.shapes.filter((s) => s.code !== '0400')) {
      const box = bboxOf(shape.d);
      const overlaps = box.maxX > frame.x && box.minX < frame.x + frame.width && box.maxY > frame.y && box.minY < frame.y + frame.height;
      expect({ code: shape.code, overlaps }).toEqual({ code: shape.code, overlaps: false });
    }
  });

  it('stays small enough to draw: thinning keeps the paths under 200 KB together', () => {
    const total = map.shapes.reduce((sum, s) => sum + s.d.length, 0);
    expect(total).toBeLessThan(200_000);
    expect(total).toBeGreaterThan(20_000);
  });
});

describe('decodeArcs', () => {
  it('undoes the delta encoding and applies the transform', () => {
    const small: Topology = {
      type: 'Topology',
      transform: { scale: [0.5, 2], translate: [10, 50] },
      arcs: [
        [
          [2, 1],
          [1, 0],
          [0, -1],
        ],
      ],
      objects: {},
    };
    expect(decodeArcs(small)).toEqual([
      [
        [11, 52],
        [11.5, 52],
        [11.5, 50],
      ],
    ]);
  });

  it('puts the real arcs inside Denmark (longitude 8–15.2, latitude 54.5–57.8)', () => {
    for (const arc of decodeArcs(topology))
      for (const [lon, lat] of arc) {
        expect(lon).toBeGreaterThanOrEqual(8);
        expect(lon).toBeLessThanOrEqual(15.2);
        expect(lat).toBeGreaterThanOrEqual(54.5);
        expect(lat).toBeLessThanOrEqual(57.8);
      }
  });
});

describe('project and thin', () => {
  it('puts north up and east right', () => {
    const [x1, y1] = project([9, 56], false);
    const [x2, y2] = project([10, 57], false);
    expect(x2).toBeGreaterThan(x1);
    expect(y2).toBeLessThan(y1);
  });

  it('drops points closer than the step but keeps both ends', () => {
    const points: Array<[number, number]> = [
      [0, 0],
      [0.1, 0],
      [1, 0],
      [1.2, 0],
      [1.3, 0],
    ];
    expect(thin(points, 0.5)).toEqual([
      [0, 0],
      [1, 0],
      [1.3, 0],
    ]);
  });
});
