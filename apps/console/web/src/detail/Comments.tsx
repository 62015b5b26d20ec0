import { useState, type FormEvent } from 'react';
import { alerting, dataOf, type Alert } from '../api';
import { useLanguage } from '../language';

/** The alert's comments, oldest first, and a form to add one (the API records who wrote it). */
export function Comments({ alertId, comments, onPosted }: { alertId: string; comments: NonNullable<Alert['comments']>; onPosted(): Promise<void> }) {
  const { t, time } = useLanguage();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  async function post(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    try {
      dataOf(await alerting.POST('/alerts/{id}/comments', { params: { path: { id: alertId } }, body: { text: text.trim() } }));
      setText('');
      setProblem(undefined);
      await onPosted();
    } catch (error) {
      setProblem((error as Error).message);
    }
  }
  return (
    <section aria-labelledby="comments-title">
      <h3 id="comments-title">{t('detail.comments')}</h3>
      {comments.length === 0 ? (
        <p>{t('detail.noComments')}</p>
      ) : (
        <ul id="detail-comments" className="comments">
          {comments.map((c) => (
            <li key={`${c.at}-${c.by}`}>
              <strong>{c.by_name ?? c.by}</strong>, {time(c.at)}: {c.text}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={post}>
        <label htmlFor="comment-text">{t('detail.addComment')}</label>
        <textarea id="comment-text" rows={2} value={text} onChange={(e) => setText(e.target.value)} />
        {problem && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button type="submit" id="comment-post">
          {t('detail.postComment')}
        </button>
      </form>
    </section>
  );
}
