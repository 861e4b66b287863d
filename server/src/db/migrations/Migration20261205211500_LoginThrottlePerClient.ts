import { Migration } from '@mikro-orm/migrations';

/**
 * login_throttle per (login name, client address) plus one '*' row per name (issue "Trust", finding 10):
 * growing waits per address instead of locking the name for everyone. Old counters are dropped (they
 * only ever delayed logins for a few minutes).
 */
export class Migration20261205211500_LoginThrottlePerClient extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop table if exists "login_throttle" cascade;`);
    this.addSql(`create table "login_throttle" ("username" varchar(100) not null, "client" varchar(64) not null, "failures" int not null default 0, "first_failure_at" timestamptz not null, "last_failure_at" timestamptz not null, constraint "login_throttle_pkey" primary key ("username", "client"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "login_throttle" cascade;`);
    this.addSql(`create table "login_throttle" ("username" varchar(100) not null, "failures" int not null default 0, "first_failure_at" timestamptz not null, "locked_until" timestamptz null, constraint "login_throttle_pkey" primary key ("username"));`);
  }

}
