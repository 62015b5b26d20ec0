import { extractAccountManagementMessage } from './account-management-message';

describe(extractAccountManagementMessage.name, () => {
  it('maps user and group creation, and a failed user creation', () => {
    expect(extractAccountManagementMessage('new user: name=backdoor, UID=0, GID=0, home=/root, shell=/bin/bash')).toEqual({
      event: { module: 'linux', dataset: 'linux.auth', category: ['iam'], type: ['user', 'creation'], outcome: 'success', action: 'user_created' },
      user: { name: 'backdoor', id: '0' },
    });
    expect(extractAccountManagementMessage("failed adding user 'elastic_user_1', data deleted")).toMatchObject({ event: { outcome: 'failure' } });
    expect(extractAccountManagementMessage('new group: name=staff2, GID=1001')).toMatchObject({
      event: { action: 'group_created' },
      group: { name: 'staff2', id: '1001' },
    });
  });

  it('ignores the per-file lines groupadd also writes', () => {
    expect(extractAccountManagementMessage('group added to /etc/gshadow: name=staff2')).toBeUndefined();
  });
});
