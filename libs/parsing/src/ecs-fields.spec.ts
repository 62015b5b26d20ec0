import { assignField, mergeEcsFields, mergeFreshEcsFields } from './ecs-fields';

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

describe(mergeFreshEcsFields.name, () => {
  it('moves a fresh object the target lacks instead of copying it', () => {
    const source = { ip: '192.0.2.1', port: 22 };
    const target = mergeFreshEcsFields({ event: { original: 'x' } }, { event: { action: 'ssh_login' }, source });
    expect(target).toEqual({ event: { original: 'x', action: 'ssh_login' }, source: { ip: '192.0.2.1', port: 22 } });
    expect(target.source).toBe(source);
  });

  it('copies, exactly as mergeEcsFields, objects that hold undefined or have another prototype', () => {
    const patch = () => ({ user: { name: 'root', domain: undefined }, pam: Object.assign(Object.create(null), { module: 'pam_unix' }), message: undefined });
    const moved = mergeFreshEcsFields({ message: 'kept' }, patch());
    expect(moved).toStrictEqual(mergeEcsFields({ message: 'kept' }, patch()));
    expect(Object.keys(moved.user as object)).toEqual(['name']);
    expect(Object.getPrototypeOf(moved.pam)).toBe(Object.prototype);
  });

  it('never merges into Object.prototype, whatever the keys', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as Record<string, unknown>;
    const target = mergeFreshEcsFields({}, patch);
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
