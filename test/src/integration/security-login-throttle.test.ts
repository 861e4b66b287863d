/**
 * Issue "Trust", finding 10: five failed logins used to lock a name for everyone. Now failures are counted per
 * (login name, client address) with growing waits, the owner from another address still signs in, and a
 * looser per-name ceiling gives every address a single free try. Real HTTP, real PostgreSQL; the clients'
 * addresses come from X-Forwarded-For through TRUST_PROXY=loopback; the services' clock is frozen and moved
 * by the test (no sleeping).
 */
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { gql } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

const LOGIN = 'mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }';
const RIGHT = 'congvan2026';

describe('login throttle per name and address, with growing waits (finding 10)', () => {
  let s: TestServer;
  let now = Date.parse('2026-12-05T08:00:00Z');
  const advance = (seconds: number) => {
    now += seconds * 1000;
  };
  const login = (u: string, p: string, from: string) => gql<{ login: { token: string } }>(s.url, LOGIN, { u, p }, { headers: { 'x-forwarded-for': from } });
  const reason = (r: Awaited<ReturnType<typeof login>>) => (r.data?.login ? 'OK' : (r.errors?.[0].extensions?.reason as string));

  beforeAll(async () => {
    s = await startTestServer({
      env: {
        TRUST_PROXY: 'loopback',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_DELAY_SECONDS: '1',
        LOGIN_MAX_DELAY_SECONDS: '8',
        LOGIN_NAME_MAX_FAILURES: '12',
        LOGIN_LOCK_MINUTES: '15',
      },
    });
    s.runtime.rt.services.identity.clock.now = () => new Date(now);
  });
  afterAll(async () => s?.stop());

  it('waits 1 s, 2 s, 4 s, 8 s (cap) after three failures from one address; the owner elsewhere is not locked out', async () => {
    const A = '198.51.100.7';
    for (let i = 0; i < 3; i++) expect(reason(await login('chuyenvien', `sai-${i}`, A))).toBe('BAD_CREDENTIALS');
    const waiting = await login('chuyenvien', RIGHT, A);
    expect(waiting.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'LOGIN_THROTTLED', retryAfterSeconds: 1 });
    expect(waiting.errors![0].message).toBe('Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 1 giây.');

    // The real owner, from another address, signs in at once.
    expect(reason(await login('chuyenvien', RIGHT, '203.0.113.20'))).toBe('OK');

    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await login('chuyenvien', RIGHT, A);
      const wait = r.errors![0].extensions!.retryAfterSeconds as number;
      waits.push(wait);
      advance(wait);
      expect(reason(await login('chuyenvien', `sai-lan-${i}`, A))).toBe('BAD_CREDENTIALS');
    }
    expect(waits).toEqual([1, 2, 4, 8, 8]);

    // After the wait, the right password works and the address starts afresh: three free failures again.
    advance(8);
    expect(reason(await login('chuyenvien', RIGHT, A))).toBe('OK');
    for (let i = 0; i < 3; i++) expect(reason(await login('chuyenvien', `lai-sai-${i}`, A))).toBe('BAD_CREDENTIALS');
    expect(reason(await login('chuyenvien', RIGHT, A))).toBe('LOGIN_THROTTLED');

    // Failed attempts are audited with the address; refused ones never checked the password.
    const em = s.runtime.rt.orm.em.fork();
    const failed = await em.find(AuditEvent, { action: 'auth.login_failed' });
    expect(failed.filter((e) => (e.data as { username?: string })?.username === 'chuyenvien')).toHaveLength(3 + 5 + 3);
    expect(failed.every((e) => (e.data as { client?: string })?.client === A)).toBe(true);
  });

  it('parallel guesses from one address cannot share a free slot', async () => {
    const B = '198.51.100.99';
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => login('truongphong', `doan-${i}`, B)));
    const reasons = results.map(reason).sort();
    expect(reasons.filter((r) => r === 'BAD_CREDENTIALS')).toHaveLength(3);
    expect(reasons.filter((r) => r === 'LOGIN_THROTTLED')).toHaveLength(7);
  });

  it('a name guessed from many addresses gives each new address one free try, never a lock-out', async () => {
    // 12 failures for luutru from 6 addresses reach LOGIN_NAME_MAX_FAILURES.
    for (let a = 1; a <= 6; a++) for (let i = 0; i < 2; i++) expect(reason(await login('luutru', `x-${a}-${i}`, `192.0.2.${a}`))).toBe('BAD_CREDENTIALS');
    // A fresh address: one try, then it waits.
    expect(reason(await login('luutru', 'sai-nua', '192.0.2.50'))).toBe('BAD_CREDENTIALS');
    expect(reason(await login('luutru', RIGHT, '192.0.2.50'))).toBe('LOGIN_THROTTLED');
    // The owner from yet another address still gets in with the right password.
    expect(reason(await login('luutru', RIGHT, '192.0.2.77'))).toBe('OK');
    // Other names are not affected at all.
    expect(reason(await login('lanhdao', RIGHT, '192.0.2.50'))).toBe('OK');
  });

  it('failures older than the window are forgotten', async () => {
    const C = '198.51.100.150';
    for (let i = 0; i < 4; i++) await login('vanthu', `cu-${i}`, C);
    expect(reason(await login('vanthu', RIGHT, C))).toBe('LOGIN_THROTTLED');
    advance(15 * 60);
    expect(reason(await login('vanthu', RIGHT, C))).toBe('OK');
  });
});
