import { assignField, mergeEcsFields } from './ecs-fields';

describe(mergeEcsFields.name, () => {
  it('merges objects deeply, replaces arrays and ignores undefined', () => {
    const target = { event: { module: 'linux', category: ['a'] }, message: 'x' };
    mergeEcsFields(target, { event: { dataset: 'linux.sshd', category: ['b'] }, message: undefined });
    expect(target).toEqual({ event: { module: 'linux', dataset: 'linux.sshd', category: ['b'] }, message: 'x' });
  });

  it('never merges into Object.prototype, whatever the keys', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as Record<string, unknown>;
    const target = mergeEcsFields({}, patch);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(target)).toEqual(['__proto__', 'constructor']);
  });
});

describe(assignField.name, () => {
  it('stores __proto__ as an own property', () => {
    const target: Record<string, unknown> = {};
    assignField(target, '__proto__', 'value');
    expect(Object.getOwnPropertyDescriptor(target, '__proto__')?.value).toBe('value');
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
  });
});
