/**
 * The demo province with every module's demo step (demo CA and certificates, a meeting…).
 * `seedDemoProvince` is the one entry used by `npm start`, `npm run cli -- seed-demo` and the test templates, so
 * the steps cannot be forgotten by one of them (npm start once seeded no signing keys that way).
 */
import { registerDemoStep, seedDemo, type DemoLogin } from './demo';
import type { Scope } from '../shared/scope';
import { seedDemoPki } from '../modules/signing/demo-pki';
import { seedDemoMeeting } from '../modules/meetings/meetings.demo';

let registered = false;
function registerAllDemoSteps(): void {
  if (registered) return;
  registered = true;
  // Ký số: demo CA and certificates first (later steps may sign documents).
  registerDemoStep(seedDemoPki);
  // Phòng họp / Lịch công tác: one upcoming meeting and one engagement (issue 11).
  registerDemoStep(seedDemoMeeting);
  // Modules add: registerDemoStep(seedDemoDocuments);
}

/** Seeds the demo province (agencies, users, registers) and runs every module's demo step; [] when not empty. */
export async function seedDemoProvince(scope: Scope, opts: Parameters<typeof seedDemo>[1] = {}): Promise<DemoLogin[]> {
  registerAllDemoSteps();
  return seedDemo(scope, opts);
}
