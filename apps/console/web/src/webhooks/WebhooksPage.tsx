import { useLanguage } from '../language';
import type { SignedInUser } from '../session';

/** Placeholder until the page is built (issue 17): its heading only. */
export function WebhooksPage({ user }: { user: SignedInUser }) {
  const { t } = useLanguage();
  void user;
  return <h2>{t('webhooks.title')}</h2>;
}
