export default async function globalTeardown() {
  const pg = globalThis.__CONGVAN_PG__;
  if (pg) await pg.stop();
}
