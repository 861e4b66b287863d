import { loadConfig } from './config';

describe('loadConfig: job leases', () => {
  it('defaults to a 30 s lease and maintenance every 10 s', () => {
    expect(loadConfig({})).toMatchObject({ jobLeaseSeconds: 30, jobMaintenanceSeconds: 10 });
  });

  it('takes JOB_LEASE_SECONDS and JOB_MAINTENANCE_SECONDS', () => {
    expect(loadConfig({ JOB_LEASE_SECONDS: '9', JOB_MAINTENANCE_SECONDS: '2' })).toMatchObject({ jobLeaseSeconds: 9, jobMaintenanceSeconds: 2 });
  });

  it.each([
    ['JOB_LEASE_SECONDS', '2', /JOB_LEASE_SECONDS: must be between 3 and 3600, got 2/],
    ['JOB_LEASE_SECONDS', '1.5', /JOB_LEASE_SECONDS: not an integer: 1.5/],
    ['JOB_MAINTENANCE_SECONDS', '0', /JOB_MAINTENANCE_SECONDS: must be between 1 and 600, got 0/],
    ['JOB_MAINTENANCE_SECONDS', 'ten', /JOB_MAINTENANCE_SECONDS: not an integer: ten/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
