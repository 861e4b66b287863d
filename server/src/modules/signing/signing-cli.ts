/**
 * `npm run -s cli -- signing …`: the operator's side of the certificates this deployment's CA issued (issue 12).
 *
 *   signing list [--agency MÃ]                      the certificates (id, holder, serial, validity, state)
 *   signing revoke <credentialId|serial> --reason "…"   thu hồi: the credential deactivated, its serial listed
 *                                                   and the CA's CRL re-issued, audited (`via: cli`)
 *
 * The same revocation as Quản trị → Chứng thư số (revokeSigningCredential), for when no quản trị can sign in
 * (a key lost out of hours, an agency without administrator). Signatures made with the certificate then show
 * "Đã bị thu hồi" and block registration.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/config';
import { bootstrap } from '../../runtime';
import { AppError } from '../../shared/errors';
import { Scope } from '../../shared/scope';
import { Agency } from '../identity/entities/agency.entity';
import { SigningCredential } from './signing.entities';

export const SIGNING_USAGE = `Cách dùng / usage:
  npm run -s cli -- signing list [--agency MÃ_CƠ_QUAN]
  npm run -s cli -- signing revoke <mã chứng thư | số hiệu (serial)> --reason "Lý do thu hồi"`;

const cn = (subject: string) => /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject;
const day = (d: Date) => d.toISOString().slice(0, 10);

export async function runSigningCli(argv: string[], databaseUrl: string): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { reason: { type: 'string' }, agency: { type: 'string' } } });
  if (sub !== 'list' && sub !== 'revoke') {
    console.error(SIGNING_USAGE);
    return 2;
  }
  if (sub === 'revoke' && (positionals.length !== 1 || !values.reason?.trim())) {
    console.error(SIGNING_USAGE);
    console.error('Cần đúng một mã hoặc số hiệu chứng thư, và --reason (lý do thu hồi).');
    return 2;
  }
  const rt = await bootstrap({ ...loadConfig(), databaseUrl }, { queue: { supervise: false, schedule: false } });
  try {
    const ca = rt.services.signing.ca;
    const em = rt.orm.em.fork();
    if (sub === 'list') {
      const agency = values.agency ? await em.findOne(Agency, { code: values.agency }) : null;
      if (values.agency && !agency) throw new AppError('NOT_FOUND', `Không có cơ quan mã ${values.agency}.`);
      const creds = await em.find(SigningCredential, agency ? { agency: agency.id } : {}, { populate: ['agency', 'user'], orderBy: { agency: { code: 'asc' }, createdAt: 'desc' } });
      const revoked = await ca.revocationsOf(em, creds.map((c) => c.id));
      for (const c of creds) {
        const r = revoked.get(c.id);
        const state = r ? `ĐÃ THU HỒI ${day(r.revokedAt)}${r.reason ? ` (${r.reason})` : ''}` : c.active ? 'đang dùng' : 'không dùng';
        console.log([c.id, c.agency.code, c.kind, c.user?.username ?? '(cơ quan)', cn(c.subject), c.serialNumber, `${day(c.notBefore)}…${day(c.notAfter)}`, state].join('\t'));
      }
      if (!creds.length) console.log('Không có chứng thư số nào.');
      return 0;
    }
    const c = await ca.findCredential(em, positionals[0]);
    const done = await ca.revoke(new Scope(rt.orm.em.fork(), null), c, values.reason!, 'cli');
    console.log(`Đã thu hồi chứng thư số ${cn(done.subject)} (số hiệu ${done.serialNumber}) của ${c.user?.fullName ?? c.agency.name}; danh sách thu hồi (CRL) đã được cấp lại.`);
    return 0;
  } finally {
    await rt.close();
  }
}
