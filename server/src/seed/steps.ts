/**
 * Registers every module's demo step (documents, meetings…) with the demo seeder.
 * Called by `npm start`, `npm run cli -- seed-demo` and the test templates.
 */
let registered = false;
export function registerAllDemoSteps(): void {
  if (registered) return;
  registered = true;
  // Modules add: registerDemoStep(seedDemoDocuments);
}
