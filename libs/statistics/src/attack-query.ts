import type { AttackCriterion, AttackDefinition } from './attack-definition';

/** Elasticsearch query DSL as plain data: this library builds it, the storage adapter sends it. */
export type QueryClause = Record<string, unknown>;

/** A member and the CIDRs it owns; attempts from inside them are the member's own traffic. */
export interface MemberRanges {
  memberId: string;
  ranges: string[];
}

function criterionMatch(criterion: AttackCriterion): QueryClause[] {
  return Object.entries(criterion.match).map(([field, values]) => ({ terms: { [field]: values } }));
}

/**
 * "The member's own ranges" differ per member, so the exclusion is one must_not clause per member
 * that has ranges: (organization.id = m AND source.ip in m's CIDRs). `ip` fields accept CIDR terms.
 * This keeps the whole definition ONE query over all members, usable under one composite
 * aggregation, instead of one query per member.
 */
function ownTrafficClauses(members: MemberRanges[]): QueryClause[] {
  return members
    .filter((m) => m.ranges.length > 0)
    .map((m) => ({ bool: { filter: [{ term: { 'organization.id': m.memberId } }, { terms: { 'source.ip': m.ranges } }] } }));
}

function criterionClause(criterion: AttackCriterion, members: MemberRanges[]): QueryClause {
  const ownTraffic = criterion.outside_own_ranges ? ownTrafficClauses(members) : [];
  return { bool: { filter: criterionMatch(criterion), ...(ownTraffic.length > 0 ? { must_not: ownTraffic } : {}) } };
}

/**
 * An attack attempt is an event matching at least one criterion: one bool query with a should
 * clause per criterion, so Elasticsearch counts an event matching several criteria once.
 */
export function attackAttemptQuery(definition: AttackDefinition, members: MemberRanges[]): QueryClause {
  return { bool: { should: definition.criteria.map((c) => criterionClause(c, members)), minimum_should_match: 1 } };
}

/**
 * One filter per criterion for the by-category figures. Each attempt is attributed to the FIRST
 * criterion it matches, in definition order (criterion i and none of 0..i-1), so the categories
 * partition the attempts and add up to the total.
 */
export function attackCategoryFilters(definition: AttackDefinition, members: MemberRanges[]): Record<string, QueryClause> {
  const clauses = definition.criteria.map((c) => criterionClause(c, members));
  return Object.fromEntries(
    definition.criteria.map((criterion, i) => [criterion.id, i === 0 ? clauses[0] : { bool: { filter: [clauses[i]], must_not: clauses.slice(0, i) } }]),
  );
}
