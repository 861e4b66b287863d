import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed-login counter per login name (known or not), shared by every API replica.
 * After LOGIN_MAX_FAILURES failures the name is locked for LOGIN_LOCK_MINUTES.
 */
@Entity({ tableName: 'login_throttle' })
export class LoginThrottle {
  @PrimaryKey({ type: 'string', length: 100 })
  username!: string;

  @Property({ type: 'integer', default: 0 })
  failures: number = 0;

  @Property({ type: 'datetime' })
  firstFailureAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null;
}
