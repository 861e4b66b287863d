import { pdfFrameUrl } from './pdfFrame';

describe('pdfFrameUrl', () => {
  it('opens at the page width without thumbnails, at a page when given, the signed query untouched', () => {
    const signed = 'https://files.example.vn/f/abc?X-Amz-Signature=1a2b&X-Amz-Expires=300';
    expect(pdfFrameUrl(signed)).toBe(`${signed}#view=FitH&navpanes=0&zoom=page-width&pagemode=none`);
    expect(pdfFrameUrl(signed, 3)).toBe(`${signed}#page=3&view=FitH&navpanes=0&zoom=page-width&pagemode=none`);
    expect(pdfFrameUrl(`${signed}#page=2`, 1)).toBe(`${signed}#view=FitH&navpanes=0&zoom=page-width&pagemode=none`);
  });
});
