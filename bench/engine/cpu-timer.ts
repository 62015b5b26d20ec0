/**
 * Wall-clock and CPU time of a piece of work. The development machine is shared (load average 7+
 * on 2 cores while other engineers' suites run), so wall-clock rates understate what one core does;
 * CPU time (user + system of this process, GC threads included) is the "per core" figure.
 */
export interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
}

export function startTimer(): () => Timing {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wallSeconds: Number(process.hrtime.bigint() - wall) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}
