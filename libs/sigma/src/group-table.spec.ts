import { GroupTable, hashGroup } from './group-table';

/** Rows as the store keeps them, with room to grow the table past its first size. */
function rows(size: number) {
  return { hash: new Int32Array(size), scopeId: new Int32Array(size).fill(-1), group: [] as (string | null)[] };
}

describe('GroupTable', () => {
  it('finds every row by scope and group, and nothing it was not given, across growth', () => {
    const r = rows(5_000);
    const table = new GroupTable(r);
    for (let row = 0; row < 5_000; row++) {
      const scope = row % 7;
      const group = row % 11 === 0 ? null : `10.0.${row >> 8}.${row & 255}`;
      if (table.find(scope, group, hashGroup(1, scope, group)) !== -1) continue; // (scope, null) repeats
      r.scopeId[row] = scope;
      r.group[row] = group;
      r.hash[row] = hashGroup(1, scope, group);
      table.insert(row);
    }
    for (let row = 0; row < 5_000; row++) {
      if (r.scopeId[row] === -1) continue;
      expect(table.find(r.scopeId[row], r.group[row], r.hash[row])).toBe(row);
    }
    expect(table.find(0, '10.0.0.1', hashGroup(1, 0, '10.0.0.1'))).toBe(-1); // row 1 has scope 1
    expect(table.find(3, 'absent', hashGroup(1, 3, 'absent'))).toBe(-1);
  });

  it('stays correct when every hash collides, and after a rebuild that drops rows', () => {
    const r = rows(3_000);
    const table = new GroupTable(r);
    for (let row = 0; row < 3_000; row++) {
      r.scopeId[row] = row % 2;
      r.group[row] = `user${row >> 1}`;
      r.hash[row] = 42; // what an attacker who knew the hash function would aim for
      table.insert(row);
    }
    expect(table.find(1, 'user7', 42)).toBe(15);
    expect(table.find(0, 'user7', 42)).toBe(14);
    for (let row = 0; row < 3_000; row += 3) r.scopeId[row] = -1;
    table.rebuild(3_000, (row) => r.scopeId[row] !== -1);
    expect(table.find(0, 'user0', 42)).toBe(-1); // row 0 was dropped
    expect(table.find(1, 'user0', 42)).toBe(1);
    expect(table.find(1, 'user1499', 42)).toBe(2_999);
  });

  it('hashes with a seed, so values chosen to collide under one seed do not collide under another', () => {
    const values = Array.from({ length: 1_000 }, (_, i) => `user${i}`);
    const buckets = (seed: number) => new Set(values.map((v) => hashGroup(seed, 0, v) & 1023)).size;
    // 1,000 values into 1,024 buckets: about 630 distinct buckets when hashes look random.
    expect(buckets(1)).toBeGreaterThan(550);
    expect(buckets(2)).toBeGreaterThan(550);
    expect(hashGroup(1, 0, 'user1')).not.toBe(hashGroup(2, 0, 'user1'));
    expect(hashGroup(1, 0, null)).not.toBe(hashGroup(1, 1, null));
  });
});
