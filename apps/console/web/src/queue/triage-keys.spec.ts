import { triageCommandOf } from './triage-keys';

const none = { ctrl: false, alt: false, meta: false };
const row = { tagName: 'TR' };

describe('triageCommandOf', () => {
  it('maps j/k, a, c, x, Enter and space on a row', () => {
    expect(['j', 'k', 'a', 'c', 'x', 'Enter', ' ', 'ArrowDown'].map((key) => triageCommandOf(key, none, row))).toEqual([
      'next',
      'previous',
      'assign',
      'acknowledge',
      'close',
      'open',
      'select',
      'next',
    ]);
  });

  it('does nothing while typing in a field, with a modifier, or for Enter on a link or button', () => {
    expect(triageCommandOf('j', none, { tagName: 'input' })).toBeUndefined();
    expect(triageCommandOf('x', none, { tagName: 'TEXTAREA' })).toBeUndefined();
    expect(triageCommandOf('c', none, { tagName: 'DIV', isContentEditable: true })).toBeUndefined();
    expect(triageCommandOf('c', { ...none, ctrl: true }, row)).toBeUndefined();
    expect(triageCommandOf('Enter', none, { tagName: 'A' })).toBeUndefined();
    expect(triageCommandOf(' ', none, { tagName: 'BUTTON' })).toBeUndefined();
    expect(triageCommandOf('a', none, { tagName: 'BUTTON' })).toBe('assign');
    expect(triageCommandOf('q', none, row)).toBeUndefined();
    expect(triageCommandOf('constructor', none, row)).toBeUndefined();
  });
});
