import { csvText, type ChartTable } from './chart-csv';
import { chartPictureSvg, svgDataUrl, type ChartPicture } from './chart-image';

/** Saves a file the page made (a `blob:` URL clicked with `download`), then lets the URL go. */
function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started once click() returns; a minute is ample before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function downloadCsv(table: ChartTable, fileName: string): void {
  save(new Blob([csvText(table)], { type: 'text/csv;charset=utf-8' }), fileName);
}

/** Pixels per CSS pixel of the PNG: twice the chart's size, sharp in a printed report. */
const scale = 2;

/** The properties an SVG drawn as an image needs from the page's stylesheet (map.css outlines, for one). */
const lookProperties = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight'] as const;

/**
 * A copy of the SVG with the look the page's stylesheet gives it written into each element's
 * attributes (an SVG drawn as an image sees no page styles); definitions (patterns) keep theirs.
 */
function withOwnLook(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((element, i) => {
    if (element.closest('defs, title, desc')) return;
    const style = getComputedStyle(element);
    for (const property of lookProperties) {
      const value = style.getPropertyValue(property);
      if (value) copies[i]!.setAttribute(property, value);
    }
  });
  return copy;
}

/**
 * The chart's SVG (as drawn on the page) with its title and the suppression note (and a legend, for
 * the map), drawn onto a canvas and saved as PNG. The SVG goes in as a `data:` image, which leaves
 * the canvas clean.
 */
export async function downloadPng(svg: SVGSVGElement, picture: Omit<ChartPicture, 'chartSvg'>, fileName: string): Promise<void> {
  const chartSvg = new XMLSerializer().serializeToString(withOwnLook(svg));
  const { svg: document_, width, height } = chartPictureSvg({ chartSvg, ...picture });
  const image = new Image(width, height);
  image.src = svgDataUrl(document_);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('the browser gave no 2D canvas');
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  const png = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
  );
  save(png, fileName);
}
