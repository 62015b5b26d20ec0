import type { Alert } from '../api';
import { useLanguage } from '../language';

/** The rule behind the alert: for Sigma rules its author and references as the rule file gives them. */
export function RuleFacts({ rule }: { rule: Alert['rule'] }) {
  const { t } = useLanguage();
  return (
    <section aria-labelledby="rule-title" id="detail-rule">
      <h3 id="rule-title">{t('detail.rule')}</h3>
      <dl className="facts">
        <dt>{t('queue.col.rule')}</dt>
        <dd>
          {rule.title} (<code>{rule.id}</code>
          {rule.version ? `, v${rule.version}` : ''})
        </dd>
        <dt>{t('queue.col.severity')}</dt>
        <dd>{t(`severity.${rule.level}`)}</dd>
        {rule.origin && (
          <>
            <dt>{t('detail.ruleOrigin')}</dt>
            <dd>
              {rule.origin}
              {rule.licence ? ` (${rule.licence})` : ''}
            </dd>
          </>
        )}
        {rule.author && (
          <>
            <dt>{t('detail.ruleAuthor')}</dt>
            <dd id="rule-author">{rule.author}</dd>
          </>
        )}
        {rule.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>{rule.tags.join(', ')}</dd>
          </>
        )}
      </dl>
      {rule.references.length > 0 && (
        <>
          <h4>{t('detail.ruleReferences')}</h4>
          <ul id="rule-references">
            {rule.references.map((reference) => (
              <li key={reference}>
                {/^https?:\/\//.test(reference) ? (
                  <a href={reference} rel="noreferrer noopener" target="_blank">
                    {reference}
                  </a>
                ) : (
                  reference
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
