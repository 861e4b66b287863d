/**
 * Public PKI endpoints of the CAs this deployment runs (no sign-in: peer deployments and any verifier fetch them):
 *   GET /pki/crl/<issuerKeyId>.crl   the CA's current CRL (DER, application/pkix-crl), 404 for an unknown CA.
 */
import express from 'express';
import type { LocalCertificateAuthority } from './ca.service';
import { logger } from '../../shared/logger';

export function pkiRouter(ca: () => LocalCertificateAuthority): express.Router {
  const r = express.Router();
  r.get('/pki/crl/:file', (req, res) => {
    const m = /^([0-9a-f]{8,64})\.crl$/.exec(req.params.file);
    if (!m) {
      res.status(404).type('text/plain').send('Không có CRL này.');
      return;
    }
    ca()
      .crlOf(m[1])
      .then((der) => {
        if (!der) res.status(404).type('text/plain').send('Không có CRL này.');
        else res.status(200).type('application/pkix-crl').set('Cache-Control', 'public, max-age=300').send(der);
      })
      .catch((e: unknown) => {
        logger.error({ err: e }, 'pki: cannot serve the CRL');
        res.status(503).type('text/plain').send('Tạm thời không cung cấp được CRL.');
      });
  });
  return r;
}
