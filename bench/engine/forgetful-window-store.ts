import type { WindowState, WindowStore, WindowUpdate } from '@soc/sigma';

/**
 * A window store that keeps nothing: every group looks new in every batch, so windows hold one
 * batch's entries at most. Not a store anyone should run; the bench streams the 3- and 30-rule
 * engines with it beside the real ones, to show what window state costs (the difference) and what
 * the engines cost without it (their detections are not compared with anything).
 */
export class ForgetfulWindowStore implements WindowStore {
  async applyBatch(updates: readonly WindowUpdate[]): Promise<WindowState[]> {
    const states: WindowState[] = new Array(updates.length);
    for (let i = 0; i < updates.length; i++) {
      const { entries } = updates[i];
      states[i] = {
        entries: [...entries],
        watermark: entries.length > 0 ? entries[entries.length - 1].time : null,
        firedUntil: null,
        late: [],
        added: entries,
        suppressed: 0,
        evicted: 0,
      };
    }
    return states;
  }

  async markFired(): Promise<void> {}
}
