import type { ImportResult } from './import-result';
import type { Indicator } from './indicator.schema';
import {
  type AddressScopePolicy,
  describeSpecialPurpose,
  productionAddressScope,
  type SpecialPurposeRange,
  specialPurposeRangeOverlapping,
} from './special-purpose-addresses';

/** The non-global range an address or CIDR indicator touches, or undefined (also for every other type). */
export function nonGlobalRangeOfIndicator(
  indicator: Pick<Indicator, 'type' | 'value'>,
  policy: AddressScopePolicy = productionAddressScope,
): SpecialPurposeRange | undefined {
  if (indicator.type !== 'ipv4' && indicator.type !== 'ipv6' && indicator.type !== 'cidr') return undefined;
  return specialPurposeRangeOverlapping(indicator.value, policy);
}

/**
 * Feed rule: a feed entry for a loopback, private, link-local, CGNAT, documentation, multicast or
 * other non-global address (or a CIDR overlapping one) is refused with the range named, because
 * one such entry in a shared feed would alert every member on its own internal traffic. The
 * indicator id is given as `objectId` so the refusal can be traced in the feed.
 */
export function refuseNonGlobalAddresses(result: ImportResult, policy: AddressScopePolicy = productionAddressScope): ImportResult {
  const indicators: Indicator[] = [];
  const errors = [...result.errors];
  for (const indicator of result.indicators) {
    const range = nonGlobalRangeOfIndicator(indicator, policy);
    if (range === undefined) indicators.push(indicator);
    else {
      errors.push({
        objectId: indicator.id,
        reason: `${describeSpecialPurpose(indicator.value, range)}: a feed may not add it to the shared set (an admin imports it deliberately with allow_reserved)`,
      });
    }
  }
  return { indicators, errors };
}
