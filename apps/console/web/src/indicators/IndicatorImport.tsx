import { useRef, useState, type FormEvent } from 'react';
import { dataOf } from '../api';
import { useLanguage } from '../language';
import { correlator, feedFormats, type FeedFormat } from './correlator-api';
import { guessFormat, rejectionParts, splitFeed, type FeedPart, type FeedSplit } from './feed-parts';
import { importParts, percentDone, type ImportProgress } from './import-progress';

/** Rejections listed on the page; the rest are counted. */
const shownRejections = 500;

/**
 * Import of a feed file (soc_admin): the file is read in the page, split into parts the API takes
 * (feed-parts.ts) and sent one part at a time to `POST /v1/indicators/import`, with a progress bar
 * (parts done of all, indicators accepted and rejected so far) and, at the end, every rejection
 * with its place in the file and the API's reason.
 */
export function IndicatorImport({ onImported }: { onImported(): void }) {
  const { t } = useLanguage();
  const [file, setFile] = useState<File>();
  const [format, setFormat] = useState<FeedFormat>('stix');
  const [source, setSource] = useState('');
  const [allowReserved, setAllowReserved] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [split, setSplit] = useState<{ name: string; split: FeedSplit }>();
  const [progress, setProgress] = useState<ImportProgress>();
  const stopAsked = useRef(false);
  const running = progress?.state === 'running';

  async function chosen(files: FileList | null) {
    const next = files?.[0];
    setFile(next);
    setSplit(undefined);
    setProgress(undefined);
    setProblem(undefined);
    if (next) setFormat(guessFormat(next.name, await next.slice(0, 4096).text()));
  }

  async function start(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setProblem(t('indicators.import.chooseFile'));
      return;
    }
    setProblem(undefined);
    setProgress(undefined);
    const text = await file.text();
    const parts = splitFeed(format, text);
    setSplit({ name: file.name, split: parts });
    stopAsked.current = false;
    const query = { format, allow_reserved: allowReserved ? ('true' as const) : ('false' as const), ...(source.trim() ? { source: source.trim() } : {}) };
    const send = async (part: FeedPart) =>
      dataOf(
        await correlator.POST('/v1/indicators/import', {
          params: { query },
          body: part.body,
          bodySerializer: (body: string) => body,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        }),
      );
    const end = await importParts(parts, send, setProgress, () => stopAsked.current);
    if (end.partsDone > 0) onImported();
  }

  const rejections = progress && progress.state !== 'running' ? progress.rejections : [];

  return (
    <section aria-labelledby="indicator-import-title" id="indicator-import">
      <h3 id="indicator-import-title">{t('indicators.import.title')}</h3>
      <p>{t('indicators.import.explain')}</p>
      <form onSubmit={start} className="filters">
        <label>
          {t('indicators.import.file')}{' '}
          <input
            id="import-file"
            type="file"
            accept=".json,.csv,.txt,application/json,text/csv,text/plain"
            onChange={(e) => void chosen(e.target.files)}
            disabled={running}
          />
        </label>
        <label>
          {t('indicators.import.format')}{' '}
          <select id="import-format" value={format} onChange={(e) => setFormat(e.target.value as FeedFormat)} disabled={running}>
            {feedFormats.map((f) => (
              <option key={f} value={f}>
                {t(`indicators.import.format.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('indicators.import.source')}{' '}
          <input id="import-source" type="text" maxLength={200} value={source} onChange={(e) => setSource(e.target.value)} disabled={running} />
        </label>
        <label className="checkbox">
          <input id="import-allow-reserved" type="checkbox" checked={allowReserved} onChange={(e) => setAllowReserved(e.target.checked)} disabled={running} />{' '}
          {t('indicators.import.allowReserved')}
        </label>
        <button type="submit" id="import-start" disabled={running}>
          {t('indicators.import.start')}
        </button>
        {running && (
          <button type="button" className="secondary" id="import-stop" onClick={() => (stopAsked.current = true)}>
            {t('indicators.import.stop')}
          </button>
        )}
      </form>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {split && <p id="import-parts">{t('indicators.import.parts', { name: split.name, entries: split.split.entries, parts: split.split.parts.length })}</p>}
      {progress && (
        <div
          id="import-progress"
          data-state={progress.state}
          data-parts={progress.parts}
          data-done={progress.partsDone}
          data-accepted={progress.accepted}
          data-rejected={progress.rejected}
        >
          <progress id="import-bar" max={100} value={percentDone(progress)} aria-labelledby="import-progress-text" />
          <p id="import-progress-text" role="status">
            {t('indicators.import.progress', {
              done: progress.partsDone,
              parts: progress.parts,
              percent: percentDone(progress),
              accepted: progress.accepted,
              rejected: progress.rejected,
            })}
          </p>
          {progress.state === 'done' && <p id="import-done">{t('indicators.import.done', { accepted: progress.accepted, rejected: progress.rejected })}</p>}
          {progress.state === 'stopped' && <p id="import-stopped">{t('indicators.import.stopped', { done: progress.partsDone, parts: progress.parts })}</p>}
          {progress.failure && (
            <p role="alert" className="error" id="import-failed">
              {t('indicators.import.failed', { part: progress.failure.part, parts: progress.parts, message: progress.failure.message })}
            </p>
          )}
        </div>
      )}
      {rejections.length > 0 && (
        <table id="import-rejections">
          <caption>{t('indicators.import.rejections')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('indicators.import.where')}</th>
              <th scope="col">{t('indicators.import.why')}</th>
            </tr>
          </thead>
          <tbody>
            {rejections.slice(0, shownRejections).map((message, i) => {
              const { where, why } = rejectionParts(message);
              return (
                <tr key={i}>
                  <td>{where}</td>
                  <td className="message">{why}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rejections.length > shownRejections && <p>{t('indicators.import.moreRejections', { count: rejections.length - shownRejections })}</p>}
    </section>
  );
}
