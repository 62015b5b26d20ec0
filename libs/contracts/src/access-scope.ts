/**
 * Whose data a caller may see. Repositories take a scope on every read and write and filter on
 * `organization.id` themselves, so no controller can forget to.
 */
export type AccessScope = { kind: 'all-members' } | { kind: 'member'; memberId: string };

export const allMembers: AccessScope = { kind: 'all-members' };
export const memberScope = (memberId: string): AccessScope => ({ kind: 'member', memberId });
