import { bruteforceSteps, chaosLeadInMs, chaosPlan, chaosQuietTailMs, chaosRestartAllowanceMs, type ChaosPlanOptions } from './chaos-schedule';

const options: ChaosPlanOptions = {
  durationMs: 120_000,
  replicas: { collector: 2, correlator: 2, alerting: 2 },
  members: ['0101', '0147', '0151', '0153'],
};
const seeds = Array.from({ length: 200 }, (_, n) => n * 7_919 + 1);

describe(chaosPlan.name, () => {
  it('gives the same plan for the same seed', () => {
    expect(chaosPlan(20261203, options)).toEqual(chaosPlan(20261203, options));
  });

  it('gives another plan for another seed', () => {
    expect(chaosPlan(1, options).faults).not.toEqual(chaosPlan(2, options).faults);
  });

  it('holds every kind of fault for every seed: a kill of each kind of process, one Redis restart, one Elasticsearch cut of 12-20 s', () => {
    for (const seed of seeds) {
      const { faults } = chaosPlan(seed, options);
      const killed = new Set(faults.flatMap((f) => (f.kind === 'kill-process' ? [f.app] : [])));
      expect({ seed, killed: [...killed].sort() }).toEqual({ seed, killed: ['alerting', 'collector', 'correlator'] });
      expect(faults.filter((f) => f.kind === 'restart-redis')).toHaveLength(1);
      const cuts = faults.filter((f) => f.kind === 'cut-elasticsearch');
      expect(cuts).toHaveLength(1);
      expect(cuts[0].downMs).toBeGreaterThanOrEqual(12_000);
      expect(cuts[0].downMs).toBeLessThanOrEqual(20_000);
    }
  });

  it('keeps faults inside the load, after the lead-in and out of the quiet tail', () => {
    for (const seed of seeds) {
      for (const fault of chaosPlan(seed, options).faults) {
        expect(fault.at).toBeGreaterThanOrEqual(chaosLeadInMs);
        expect(fault.at + fault.downMs).toBeLessThanOrEqual(options.durationMs - chaosQuietTailMs);
      }
    }
  });

  it('never kills a replica that is down or still starting', () => {
    for (const seed of seeds) {
      const lastKill = new Map<string, number>();
      for (const fault of chaosPlan(seed, options).faults) {
        if (fault.kind !== 'kill-process') continue;
        const name = `${fault.app}-${fault.replica}`;
        expect(fault.replica).toBeLessThan(options.replicas[fault.app]);
        expect(fault.at).toBeGreaterThanOrEqual(lastKill.get(name) ?? 0);
        lastKill.set(name, fault.at + fault.downMs + chaosRestartAllowanceMs);
      }
    }
  });

  it('plans each member a five-step brute force and an indicator hit, all sent while faults can still happen', () => {
    for (const seed of seeds) {
      const { attacks } = chaosPlan(seed, options);
      for (const member of options.members) {
        const mine = attacks.filter((a) => a.member === member);
        expect(mine.filter((a) => a.kind === 'bruteforce').map((a) => a.step)).toEqual(Array.from({ length: bruteforceSteps }, (_, n) => n));
        expect(mine.filter((a) => a.kind === 'indicator')).toHaveLength(1);
        for (const step of mine) expect(step.at).toBeLessThan(options.durationMs - chaosQuietTailMs);
      }
    }
  });
});
