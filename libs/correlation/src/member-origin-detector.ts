import { createHash } from 'node:crypto';
import type { Detection } from '@soc/contracts';
import { crossMemberOrganizationId } from '@soc/sigma';
import { memberOriginRuleRef, ownCompromiseRuleRef } from './built-in-rules';
import { bucketStart, DetectionAggregate } from './detection-parts';

/** Who owns an address: the member directory, or anything shaped like it. */
export interface MemberOwnership {
  ownerOfAddress(ip: string): string | undefined;
}

/** Why an event at the target counts as an attack. */
export type AttackSign = 'failed_authentication' | 'detection';

/** Every event behind one (origin, target, address, bucket), deduplicated by event id. */
interface OriginGroup {
  soc: DetectionAggregate;
  origin: string;
  ip: string;
  bucket: number;
  eventIds: Set<string>;
}

/**
 * Member origin: an attack sign at member B whose source address lies in member A's own network
 * ranges means A is probably compromised. Two detections per hour bucket:
 * - for the SOC (`shared-soc`): origin A, target B, the address, B's event ids;
 * - for A: only A's own address and how many attack events it sent. No B id, no B event id, no B
 *   rule title: A learns that its address attacked a member, not which one. Its event ids are one
 *   opaque digest, so two batches are two contributions without revealing anything.
 */
export class MemberOriginDetector {
  /** One detector per batch: the cache and groups never outlive it. */
  private readonly ownerCache = new Map<string, string | null>();
  private readonly groups = new Map<string, OriginGroup>();

  constructor(
    private readonly members: MemberOwnership,
    private readonly bucketMs: number,
  ) {}

  /** Looked up once per address per batch: the directory is a scan of all ranges. */
  ownerOf(ip: string): string | undefined {
    let owner = this.ownerCache.get(ip);
    if (owner === undefined) {
      owner = this.members.ownerOfAddress(ip) ?? null;
      this.ownerCache.set(ip, owner);
    }
    return owner ?? undefined;
  }

  /** Records a sign; false when the address is nobody's or the target's own. */
  record(ip: string, targetId: string, time: number, eventIds: readonly string[], sign: AttackSign): boolean {
    const origin = this.ownerOf(ip);
    if (origin === undefined || origin === targetId || targetId === '' || targetId === crossMemberOrganizationId) return false;
    const bucket = bucketStart(time, this.bucketMs);
    const groupKey = `origin=${origin};target=${targetId};source.ip=${ip}`;
    const group = this.groups.get(`${groupKey}\u0000${bucket}`) ?? this.newGroup(groupKey, origin, targetId, ip, bucket);
    for (const id of eventIds) {
      if (group.eventIds.has(id)) continue;
      group.eventIds.add(id);
      group.soc.add(time, id);
    }
    group.soc.observe('attack.sign', sign);
    return true;
  }

  /** The detections of this batch. */
  drain(detectedAt: string): Detection[] {
    const detections: Detection[] = [];
    const own = new Map<string, { aggregate: DetectionAggregate; eventIds: string[] }>();
    for (const group of this.groups.values()) {
      detections.push(group.soc.toDetection(detectedAt));
      const key = `${group.origin}\u0000${group.ip}\u0000${group.bucket}`;
      let entry = own.get(key);
      if (!entry) {
        const aggregate = new DetectionAggregate('member_origin', ownCompromiseRuleRef, group.origin, `source.ip=${group.ip}`, group.bucket);
        aggregate.observe('source.ip', group.ip);
        entry = { aggregate, eventIds: [] };
        own.set(key, entry);
      }
      for (const id of group.eventIds) entry.eventIds.push(id);
      entry.aggregate.count += group.eventIds.size;
      entry.aggregate.first = Math.min(entry.aggregate.first, group.soc.first);
      entry.aggregate.last = Math.max(entry.aggregate.last, group.soc.last);
    }
    for (const { aggregate, eventIds } of own.values()) {
      const digest = createHash('sha1').update(eventIds.sort().join('\u0000')).digest('hex').slice(0, 20);
      detections.push(aggregate.toDetection(detectedAt, [`digest:${digest}`]));
    }
    return detections;
  }

  private newGroup(groupKey: string, origin: string, target: string, ip: string, bucket: number): OriginGroup {
    const soc = new DetectionAggregate('member_origin', memberOriginRuleRef, crossMemberOrganizationId, groupKey, bucket);
    soc.observe('source.ip', ip);
    soc.observe('origin.member', origin);
    soc.observe('target.member', target);
    const group: OriginGroup = { soc, origin, ip, bucket, eventIds: new Set() };
    this.groups.set(`${groupKey}\u0000${bucket}`, group);
    return group;
  }
}
