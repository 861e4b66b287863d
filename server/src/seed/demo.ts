import { Agency } from '../modules/identity/entities/agency.entity';
import { Unit } from '../modules/identity/entities/unit.entity';
import { User } from '../modules/identity/entities/user.entity';
import { hashPassword } from '../modules/identity/password';
import type { Scope } from '../shared/scope';
import { DEMO_AGENCIES, DEMO_PASSWORD, DEMO_STAFF, OTHER_NAMES, demoTitle, type DemoAgency } from './demo-data';

export interface DemoLogin {
  username: string;
  fullName: string;
  agency: string;
  roles: string[];
}

/** Modules that add demo content (documents, meetings…) register a step here; it runs after the organisation exists. */
export type DemoStep = (scope: Scope, ctx: { agencies: Map<string, Agency>; users: Map<string, User> }) => Promise<void>;
const demoSteps: DemoStep[] = [];
export const registerDemoStep = (step: DemoStep): void => {
  demoSteps.push(step);
};

/** True when the database has no agency yet (first start). */
export async function isEmpty(scope: Scope): Promise<boolean> {
  return (await scope.em.count(Agency, {})) === 0;
}

/**
 * Seeds the demo province: agencies with units, users of every role in the provincial office
 * (`vanthu`, `chuyenvien`, …) and in every other agency (`snv.vanthu` …), all with DEMO_PASSWORD.
 * Idempotent: does nothing if any agency exists. `agencies`: another demo data set (the second demo
 * deployment of issue 13, seed/demo-peer-data.ts); DEMO_AGENCIES by default.
 */
export async function seedDemo(scope: Scope, opts: { agencies?: DemoAgency[] } = {}): Promise<DemoLogin[]> {
  const demoAgencies = opts.agencies ?? DEMO_AGENCIES;
  if (!(await isEmpty(scope))) return [];
  const hash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];
  const agencies = new Map<string, Agency>();
  const users = new Map<string, User>();
  await scope.transaction(async (tx) => {
    for (const a of demoAgencies) {
      const agency = tx.em.create(Agency, {
        code: a.code,
        name: a.name,
        abbr: a.abbr,
        place: a.place,
        parent: a.parent ? agencies.get(a.parent)! : null,
        operator: a.operator ?? false,
        timeZone: 'Asia/Ho_Chi_Minh',
        active: true,
        createdAt: new Date(),
      });
      agencies.set(a.key, agency);
      const units = new Map<string, Unit>();
      for (const u of a.units) units.set(u.abbr, tx.em.create(Unit, { agency, name: u.name, abbr: u.abbr, createdAt: new Date() }));
      for (const s of DEMO_STAFF) {
        const role = s.login;
        const username = a.loginPrefix ? `${a.loginPrefix}.${role}` : role;
        const fullName = a.loginPrefix ? OTHER_NAMES[role][demoAgencies.indexOf(a) % OTHER_NAMES[role].length] : s.fullName;
        const unit = s.unit ? (units.get(s.unit) ?? units.values().next().value ?? null) : null;
        // Unit heads and staff share a unit so that re-assignment inside the unit works in the demo.
        const staffUnit = a.loginPrefix && (role === 'chuyenvien' || role === 'truongphong') ? ([...units.values()][1] ?? unit) : unit;
        const user = tx.em.create(User, {
          username,
          fullName,
          // Titles fit the body: Phó Chủ tịch (UBND), Phó Giám đốc (Sở), Chánh Văn phòng (Văn phòng UBND tỉnh).
          title: a.loginPrefix ? demoTitle(role, a.kind) : s.title,
          agency,
          unit: staffUnit,
          roles: s.roles,
          passwordHash: hash,
          active: true,
          createdAt: new Date(),
        });
        users.set(username, user);
        logins.push({ username, fullName, agency: a.name, roles: s.roles });
      }
    }
    tx.audit({ action: 'seed.demo', targetType: 'deployment', data: { agencies: demoAgencies.length, users: logins.length } });
  });
  for (const step of demoSteps) await step(scope, { agencies, users });
  return logins;
}
