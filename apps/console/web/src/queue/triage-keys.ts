/** What a key does in the queue (docs/CONSOLE.md, "Keyboard"). */
export type TriageCommand = 'next' | 'previous' | 'open' | 'assign' | 'acknowledge' | 'close' | 'select';

const commands: Record<string, TriageCommand> = {
  j: 'next',
  ArrowDown: 'next',
  k: 'previous',
  ArrowUp: 'previous',
  Enter: 'open',
  a: 'assign',
  c: 'acknowledge',
  x: 'close',
  ' ': 'select',
};

/** Where the key was pressed, as far as it matters: typing in a field or pressing a button keeps the key's own meaning. */
export interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
}

/** The command of a key press, or none: never while typing, with a modifier, or (Enter, space) on a control that has its own use for it. */
export function triageCommandOf(key: string, modifiers: { ctrl: boolean; alt: boolean; meta: boolean }, target: KeyTarget): TriageCommand | undefined {
  if (modifiers.ctrl || modifiers.alt || modifiers.meta) return undefined;
  const tag = target.tagName.toUpperCase();
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) return undefined;
  const command = Object.hasOwn(commands, key) ? commands[key] : undefined;
  if ((command === 'open' || command === 'select') && (tag === 'BUTTON' || tag === 'A')) return undefined;
  return command;
}
