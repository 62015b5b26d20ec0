/**
 * What a scanner found in the field values it read lately, so a value seen again is not scanned
 * again. Log fields repeat: the same image paths, parent processes, service command lines and
 * Windows message texts come back all day (over SigmaHQ's and the OTRF project's real events, each
 * read once, 55 % of the scans of values of 16 characters or more repeat an earlier value of the same
 * scanner). A repeated value costs a hash lookup instead of a walk through an automaton of thousands
 * of needles, whose tables are out of the cache by the time the next event of that kind comes.
 *
 * The answer for a text is a pure function of the text (the tests whose needles occur in it), so
 * remembering it changes no result, whoever sent the text. Bounded per scanner: two generations of
 * at most `maxEntries` texts and `maxCharacters` characters each; when the young one is full it
 * becomes the old one and the old one is dropped, and a text found in the old one moves back to the
 * young one (what keeps coming back stays). A scanner whose texts do not repeat (sshd messages,
 * which hold a port and an address) stops remembering for a while (`pausedScans`) instead of paying
 * a lookup and an insert per scan for nothing.
 */
export class ScanMemo {
  private young = new Map<string, Int32Array>();
  private old = new Map<string, Int32Array>();
  private youngCharacters = 0;
  /** Lookups that found the text and that did not, since the young generation was last replaced. */
  private hits = 0;
  private misses = 0;
  /** Scans left before remembering resumes (see `pausedScans`). */
  private paused = 0;

  constructor(private readonly limits: ScanMemoLimits = defaultScanMemoLimits) {}

  /** Whether `text` is worth a lookup (its length is in bounds, and the memo is not paused). */
  wants(text: string): boolean {
    if (text.length < this.limits.minLength || text.length > this.limits.maxLength) return false;
    if (this.paused > 0) {
      this.paused--;
      return false;
    }
    return true;
  }

  /** The tests found in `text` before, or undefined. Only after `wants(text)`. */
  recall(text: string): Int32Array | undefined {
    let tests = this.young.get(text);
    if (tests === undefined) {
      tests = this.old.get(text);
      if (tests === undefined) {
        this.misses++;
        return undefined;
      }
      this.remember(text, tests); // back into the young generation: it keeps coming back
    }
    this.hits++;
    return tests;
  }

  /** Every test whose needles occur in `text` (a scan's whole answer, not part of it). */
  remember(text: string, tests: Int32Array): void {
    const { maxEntries, maxCharacters } = this.limits;
    if (this.young.size >= maxEntries || this.youngCharacters + text.length > maxCharacters) this.turnOver();
    this.young.set(text, tests);
    this.youngCharacters += text.length;
  }

  /** Texts held, for tests and diagnostics. */
  get size(): number {
    return this.young.size + this.old.size;
  }

  private turnOver(): void {
    // A generation filled while fewer than one lookup in `minHitRatio` found its text: this
    // scanner's texts do not repeat, so lookups only add to its scans; stop for a while.
    const lookups = this.hits + this.misses;
    if (lookups > 0 && this.hits < lookups * this.limits.minHitRatio) {
      this.paused = this.limits.pausedScans;
      this.young = new Map();
      this.old = new Map();
    } else {
      this.old = this.young;
      this.young = new Map();
    }
    this.youngCharacters = 0;
    this.hits = 0;
    this.misses = 0;
  }
}

export interface ScanMemoLimits {
  /** Shorter texts scan about as fast as a lookup costs (measured: remembering from 4 characters on was slower than from 16). */
  minLength: number;
  /** Longer texts are scanned each time: they rarely repeat, and would fill the memory bound alone. */
  maxLength: number;
  /** Texts per generation. */
  maxEntries: number;
  /** Characters per generation (memory: two generations, two bytes a character at most, per scanner). */
  maxCharacters: number;
  /** A generation that filled with fewer hits per lookup than this pauses the memo. */
  minHitRatio: number;
  /** Scans without lookups after such a generation, before trying again. */
  pausedScans: number;
}

export const defaultScanMemoLimits: ScanMemoLimits = {
  minLength: 16,
  maxLength: 4_096,
  maxEntries: 512,
  maxCharacters: 32_768,
  minHitRatio: 0.25,
  pausedScans: 16_384,
};
