import { useLanguage } from '../language';
import type { SignedInUser } from '../session';

/** Placeholder until the page is built (issue 17): its heading only. */
export function CampaignPage({ user, id }: { user: SignedInUser; id: string }) {
  const { t } = useLanguage();
  void user;
  void id;
  return <h2>{t('campaigns.title')}</h2>;
}
