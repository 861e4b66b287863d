/**
 * Registers every module's demo step (documents, meetings…) with the demo seeder.
 * Called by `npm start`, `npm run cli -- seed-demo` and the test templates.
 */
import { registerDemoStep } from './demo';
import { seedDemoPki } from '../modules/signing/demo-pki';
import { seedDemoMeeting } from '../modules/meetings/meetings.demo';

let registered = false;
export function registerAllDemoSteps(): void {
  if (registered) return;
  registered = true;
  // Ký số: demo CA and certificates first (later steps may sign documents).
  registerDemoStep(seedDemoPki);
  // Phòng họp / Lịch công tác: one upcoming meeting and one engagement (issue 11).
  registerDemoStep(seedDemoMeeting);
  // Modules add: registerDemoStep(seedDemoDocuments);
}
