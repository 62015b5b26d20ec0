import { useState } from 'react';
import { useLanguage } from '../language';
import type { ChartExport } from './Charts';
import { downloadCsv } from './chart-download';

/**
 * The CSV and PNG downloads under a chart or the map, and the message when the PNG cannot be made.
 * The CSV is the chart's table as it is; the PNG is drawn by the caller (`png`), which knows its
 * picture (a chart's SVG, or the map with its legend and hatch) and answers `undefined` when there
 * is nothing to draw yet.
 */
export function ChartExportButtons({ title, exportAs, png }: { title: string; exportAs: ChartExport; png(): Promise<void> | undefined }) {
  const { t } = useLanguage();
  const [failure, setFailure] = useState<string>();
  const downloadPicture = () => {
    const drawing = png();
    if (!drawing) return;
    setFailure(undefined);
    drawing.catch((error: Error) => setFailure(error.message));
  };
  return (
    <>
      <div className="chart-export">
        <button
          type="button"
          data-export="csv"
          aria-label={t('statistics.exportCsvOf', { title })}
          onClick={() => downloadCsv(exportAs.table, exportAs.fileName('csv'))}
        >
          {t('statistics.exportCsv')}
        </button>{' '}
        <button type="button" data-export="png" aria-label={t('statistics.exportPngOf', { title })} onClick={downloadPicture}>
          {t('statistics.exportPng')}
        </button>
      </div>
      {failure && (
        <p role="alert" className="error">
          {t('statistics.exportFailed', { message: failure })}
        </p>
      )}
    </>
  );
}
