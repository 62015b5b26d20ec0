import type { Provider } from '@nestjs/common';
import { MemberDirectory } from '@soc/members';
import { ForwarderIdentities } from './forwarder-identities';
import { SyslogInputs } from './syslog-inputs';

/** The collector's syslog inputs; senders are known from the members file's forwarder settings. */
export const syslogProviders: Provider[] = [
  {
    provide: ForwarderIdentities,
    inject: [MemberDirectory],
    useFactory: (members: MemberDirectory) => new ForwarderIdentities(members.all()),
  },
  SyslogInputs,
];
