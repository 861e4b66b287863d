/** Shared test fixtures for the workflow tests (not shipped code: only imported by *.test.ts). */
import type { Actor, ActorContext } from './actors';

export const A = 'agency-A';
export const B = 'agency-B';

const person = (userId: string, roles: Actor['roles'], unitId: string | null = null, agencyId = A): Actor => ({ userId, agencyId, unitId, roles });

export const P = {
  vanThu: person('vt', ['VAN_THU'], 'u-vp'),
  leader: person('ld1', ['LANH_DAO']),
  leader2: person('ld2', ['LANH_DAO']),
  chanhVP: person('tp-vp', ['TRUONG_PHONG'], 'u-vp'),
  headKT: person('tp-kt', ['TRUONG_PHONG'], 'u-kt'),
  staffKT: person('cv-kt1', ['CHUYEN_VIEN'], 'u-kt'),
  staffKT2: person('cv-kt2', ['CHUYEN_VIEN'], 'u-kt'),
  headTC: person('tp-tc', ['TRUONG_PHONG'], 'u-tc'),
  staffTC: person('cv-tc', ['CHUYEN_VIEN'], 'u-tc'),
  admin: person('qt', ['QUAN_TRI']),
  archivist: person('lt', ['LUU_TRU']),
  outsiderVanThu: person('vt-b', ['VAN_THU'], 'u-b', B),
  outsiderLeader: person('ld-b', ['LANH_DAO'], null, B),
} satisfies Record<string, Actor>;

export const EVERYONE: readonly Actor[] = Object.values(P);

/** 09:00 on Tuesday 10 March 2026 in Hà Nội. */
export const NOW = new Date('2026-03-10T02:00:00Z');
export const TODAY = '2026-03-10';

export function counter(prefix = 'as'): () => string {
  let i = 0;
  return () => `${prefix}-${++i}`;
}

export function ctxOf(actor: Actor, extra: Partial<ActorContext> = {}): ActorContext {
  return { ...actor, now: NOW, newId: counter(), ...extra };
}

/** Deep-freeze a value so a test fails if a transition mutates its input. */
export function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}
