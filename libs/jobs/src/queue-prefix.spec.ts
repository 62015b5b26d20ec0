import { jobs, type JobSettings } from '@soc/contracts';
import { bullPrefix } from './queue-prefix';

const settings: JobSettings = { keyPrefix: 'soc', detectionsQueue: 'detections', incidentsQueue: 'incidents' };

describe('bullPrefix', () => {
  it("keeps the catalogue's prefixes on a single Redis (queued jobs are found across an upgrade)", () => {
    expect(bullPrefix(jobs.detections, 'detections', settings, false)).toBeUndefined();
    expect(bullPrefix(jobs.sla, 'incidents-sla', settings, false)).toBe('soc:bull');
  });

  it('tags each queue with its own name on a cluster, so its keys share a slot and the queues spread', () => {
    expect(bullPrefix(jobs.detections, 'detections', settings, true)).toBe('bull:{detections}');
    expect(bullPrefix(jobs.sla, 'incidents-sla', settings, true)).toBe('soc:bull:{incidents-sla}');
    expect(bullPrefix(jobs.webhooks, 'incidents-webhooks', settings, true)).toBe('soc:bull:{incidents-webhooks}');
  });
});
