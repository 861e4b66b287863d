/**
 * The address of a PDF shown in an <iframe>: the page at the frame's width, without the thumbnail pane, at `page`
 * when given. Opened plainly, Chromium's viewer showed a one-page công văn at 39 % beside a column of thumbnails.
 * PDF open parameters (Adobe's "Parameters for Opening PDF Files"): Chromium and Edge read `page`, `view` and
 * `navpanes`; Firefox's pdf.js reads `page`, `zoom` and `pagemode`; each ignores what it does not know. A fragment
 * never reaches the server, so a signed URL stays valid.
 */
export function pdfFrameUrl(url: string, page?: number | null): string {
  const base = url.split('#')[0];
  return `${base}#${page && page > 1 ? `page=${page}&` : ''}view=FitH&navpanes=0&zoom=page-width&pagemode=none`;
}
