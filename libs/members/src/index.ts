export { forwarderSchema, memberSchema, membersFileSchema, memberKinds, type Forwarder, type Member, type MembersFile } from './member.schema';
export { municipalities, regions, type Municipality } from './municipalities';
export { MemberDirectory } from './member-directory';
export { loadMembersFile } from './members-file';
