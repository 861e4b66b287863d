import { loadConfig } from './config';

describe('loadConfig: job and exchange leases', () => {
  it('defaults to a 30 s job lease, maintenance every 10 s and a 120 s exchange lease', () => {
    expect(loadConfig({})).toMatchObject({ jobLeaseSeconds: 30, jobMaintenanceSeconds: 10, exchangeLeaseSeconds: 120 });
  });

  it('takes JOB_LEASE_SECONDS, JOB_MAINTENANCE_SECONDS and CONGVAN_EXCHANGE_LEASE_SECONDS', () => {
    expect(loadConfig({ JOB_LEASE_SECONDS: '9', JOB_MAINTENANCE_SECONDS: '2', CONGVAN_EXCHANGE_LEASE_SECONDS: '15' })).toMatchObject({
      jobLeaseSeconds: 9,
      jobMaintenanceSeconds: 2,
      exchangeLeaseSeconds: 15,
    });
  });

  it.each([
    ['JOB_LEASE_SECONDS', '2', /JOB_LEASE_SECONDS: must be between 3 and 3600, got 2/],
    ['JOB_LEASE_SECONDS', '1.5', /JOB_LEASE_SECONDS: not an integer: 1.5/],
    ['JOB_MAINTENANCE_SECONDS', '0', /JOB_MAINTENANCE_SECONDS: must be between 1 and 600, got 0/],
    ['JOB_MAINTENANCE_SECONDS', 'ten', /JOB_MAINTENANCE_SECONDS: not an integer: ten/],
    ['CONGVAN_EXCHANGE_LEASE_SECONDS', '-1', /CONGVAN_EXCHANGE_LEASE_SECONDS: must be between 5 and 3600, got -1/],
    ['CONGVAN_EXCHANGE_LEASE_SECONDS', '2m', /CONGVAN_EXCHANGE_LEASE_SECONDS: not an integer: 2m/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
