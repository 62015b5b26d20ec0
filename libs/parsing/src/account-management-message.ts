import type { EcsObject } from './ecs-fields';

/**
 * shadow-utils account management (`useradd`, `groupadd`): accounts and groups created, which
 * post-compromise rules watch (`new user: name=backdoor, UID=0, ...`). The created account is
 * `user.name` (there is no acting user in these messages); a group is `group.name`.
 */
export function extractAccountManagementMessage(message: string): EcsObject | undefined {
  const dataset = 'linux.auth';
  const newUser = /^new user: name=([^,\s]+), UID=(\d+)/.exec(message);
  if (newUser !== null) {
    return {
      event: { module: 'linux', dataset, category: ['iam'], type: ['user', 'creation'], outcome: 'success', action: 'user_created' },
      user: { name: newUser[1], id: newUser[2] },
    };
  }
  const failedUser = /^failed adding user '([^']+)'/.exec(message);
  if (failedUser !== null) {
    return {
      event: { module: 'linux', dataset, category: ['iam'], type: ['user', 'creation'], outcome: 'failure', action: 'user_created' },
      user: { name: failedUser[1] },
    };
  }
  // groupadd also logs `group added to /etc/group|gshadow`; `new group` alone is one event per group.
  const newGroup = /^new group: name=([^,\s]+)(?:, GID=(\d+))?/.exec(message);
  if (newGroup !== null) {
    const group: EcsObject = { name: newGroup[1] };
    if (newGroup[2] !== undefined) group.id = newGroup[2];
    return {
      event: { module: 'linux', dataset, category: ['iam'], type: ['group', 'creation'], outcome: 'success', action: 'group_created' },
      group,
    };
  }
  return undefined;
}
