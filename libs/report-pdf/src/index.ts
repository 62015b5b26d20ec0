export { ChromiumMissingError, ChromiumPdf, DEFAULT_CHROMIUM_PATH, PdfRenderError, type ChromiumPdfOptions } from './chromium-pdf';
