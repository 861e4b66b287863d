import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed-login counters shared by every API replica (rules: ../login-throttle.ts):
 *  - one row per (login name, client address): growing waits after LOGIN_MAX_FAILURES failures;
 *  - one row per login name with client '*': all addresses together (the looser ceiling).
 * A name is never locked for everyone: only the address that failed waits.
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  @PrimaryKey({ type: 'string', length: 100 })
  username!: string;

  /** Client address (req.ip), or '*' for the per-name counter. */
  @PrimaryKey({ type: 'string', length: 64 })
  client!: string;

  @Property({ type: 'integer', default: 0 })
  failures: number = 0;

  @Property({ type: 'datetime' })
  firstFailureAt: Date = new Date();

  @Property({ type: 'datetime' })
  lastFailureAt: Date = new Date();
}
