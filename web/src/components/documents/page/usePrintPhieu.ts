import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { RegisterReportDocument } from '../../../graphql/generated';
import { toApiError } from '../../../graphql/urql';

export interface PhieuFile {
  url: string;
  fileName: string;
}

/**
 * "In phiếu": builds the phiếu giải quyết (PDF), loads it into a hidden frame and opens the browser's print
 * dialog for it; the file stays offered for download (`phieu`).
 */
export function usePrintPhieu(documentId: string) {
  const client = useClient();
  const [phieu, setPhieu] = useState<PhieuFile | null>(null);
  const [pending, setPending] = useState(false);
  const frame = useRef<HTMLIFrameElement | null>(null);
  const objectUrl = useRef<string | null>(null);

  const cleanup = useCallback(() => {
    frame.current?.remove();
    frame.current = null;
    if (objectUrl.current) URL.revokeObjectURL(objectUrl.current);
    objectUrl.current = null;
  }, []);
  useEffect(() => cleanup, [cleanup]);

  const print = useCallback(async (): Promise<PhieuFile> => {
    setPending(true);
    try {
      const r = await client.query(RegisterReportDocument, { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId }, { requestPolicy: 'network-only' }).toPromise();
      if (r.error) throw toApiError(r.error);
      const file = { url: r.data!.registerReport.url, fileName: r.data!.registerReport.fileName };
      setPhieu(file);
      cleanup();
      const blob = await (await fetch(file.url, { credentials: 'same-origin' })).blob();
      objectUrl.current = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
      const iframe = document.createElement('iframe');
      iframe.className = 'doc-print-frame';
      iframe.setAttribute('aria-hidden', 'true');
      iframe.setAttribute('data-print-phieu', file.fileName);
      iframe.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0;';
      iframe.onload = () => {
        try {
          iframe.contentWindow?.focus();
          iframe.contentWindow?.print();
        } catch {
          window.open(objectUrl.current ?? file.url, '_blank', 'noopener');
        }
      };
      iframe.src = objectUrl.current;
      document.body.appendChild(iframe);
      frame.current = iframe;
      return file;
    } finally {
      setPending(false);
    }
  }, [client, documentId, cleanup]);

  return { print, phieu, pending };
}
