import { detectionFingerprint, detectionSchema, memberScope, type Detection } from '@soc/contracts';
import { newAlert } from './alert-lifecycle';
import { presentAlert } from './alert-presenter';

/** A detection of a SigmaHQ rule as the correlator stamps it from the rule catalogue (docs/RULES.md). */
const sigmaHqDetection: Detection = detectionSchema.parse({
  fingerprint: detectionFingerprint('ec570e53-4c76-45a9-804d-dc3f355ff7a7', '0751', '', '2026-01-01T00:00:00.000Z'),
  kind: 'rule',
  rule: {
    id: 'ec570e53-4c76-45a9-804d-dc3f355ff7a7',
    title: 'Whoami Execution',
    level: 'medium',
    author: 'Florian Roth (Nextron Systems)',
    references: ['https://example.org/whoami'],
    version: '0a1b2c3d4e5f',
    origin: 'sigmahq',
    licence: 'DRL-1.1',
  },
  organization: { id: '0751' },
  group_key: '',
  window_start: '2026-01-01T00:00:00.000Z',
  first_seen: '2026-01-01T00:00:00.000Z',
  last_seen: '2026-01-01T00:00:00.000Z',
  event_count: 1,
  event_ids: ['e1'],
  detected_at: '2026-01-01T00:00:00.000Z',
});

describe('an alert of a third-party rule', () => {
  it("keeps the rule's version, origin, author, references and DRL licence, also as the member sees it", () => {
    const alert = newAlert(sigmaHqDetection, { severity: 'medium', risk_score: 50, reasons: [] }, 1, '2026-01-01T00:00:00.000Z');
    expect(presentAlert(alert, memberScope('0751')).rule).toEqual({
      id: 'ec570e53-4c76-45a9-804d-dc3f355ff7a7',
      title: 'Whoami Execution',
      level: 'medium',
      tags: [],
      author: 'Florian Roth (Nextron Systems)',
      references: ['https://example.org/whoami'],
      version: '0a1b2c3d4e5f',
      origin: 'sigmahq',
      licence: 'DRL-1.1',
    });
  });

  it('refuses an origin the catalogue does not know', () => {
    const parsed = detectionSchema.safeParse({ ...sigmaHqDetection, rule: { ...sigmaHqDetection.rule, origin: 'internet' } });
    expect(parsed.success).toBe(false);
  });
});
