import type { Detection, SocEvent } from '@soc/contracts';

/** What the correlator needs of the correlation engine: events in, detections out. */
export interface DetectionEngine {
  evaluate(events: SocEvent[]): Promise<{ detections: Detection[]; late: number }>;
}

export const DETECTION_ENGINE = Symbol('DETECTION_ENGINE');
