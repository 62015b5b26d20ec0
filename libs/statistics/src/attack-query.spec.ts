import type { AttackDefinition } from './attack-definition';
import { attackAttemptQuery, attackCategoryFilters } from './attack-query';

const definition: AttackDefinition = {
  criteria: [
    { id: 'failed_authentication', label: 'F', match: { 'event.category': ['authentication'], 'event.outcome': ['failure'] }, outside_own_ranges: true },
    { id: 'indicator_hit', label: 'I', match: { tags: ['indicator_match'] }, outside_own_ranges: false },
  ],
};
const members = [
  { memberId: '0751', ranges: ['10.75.0.0/16'] },
  { memberId: '0461', ranges: [] },
];

const failedOutsideOwnRanges = {
  bool: {
    filter: [{ terms: { 'event.category': ['authentication'] } }, { terms: { 'event.outcome': ['failure'] } }],
    must_not: [{ bool: { filter: [{ term: { 'organization.id': '0751' } }, { terms: { 'source.ip': ['10.75.0.0/16'] } }] } }],
  },
};
const indicatorHit = { bool: { filter: [{ terms: { tags: ['indicator_match'] } }] } };

describe('attackAttemptQuery', () => {
  it('is one bool query with a should clause per criterion, excluding each member its own ranges', () => {
    expect(attackAttemptQuery(definition, members)).toEqual({ bool: { should: [failedOutsideOwnRanges, indicatorHit], minimum_should_match: 1 } });
  });
});

describe('attackCategoryFilters', () => {
  it('attributes an attempt to its first matching criterion, so categories add up to the total', () => {
    expect(attackCategoryFilters(definition, members)).toEqual({
      failed_authentication: failedOutsideOwnRanges,
      indicator_hit: { bool: { filter: [indicatorHit], must_not: [failedOutsideOwnRanges] } },
    });
  });
});
