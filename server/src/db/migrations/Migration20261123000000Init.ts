import { Migration } from '@mikro-orm/migrations';

/** Extensions and the IMMUTABLE unaccent wrapper used by search indexes. */
export class Migration20261123000000Init extends Migration {
  override async up(): Promise<void> {
    this.addSql('CREATE EXTENSION IF NOT EXISTS unaccent;');
    this.addSql('CREATE EXTENSION IF NOT EXISTS pg_trgm;');
    // unaccent() is STABLE, so it cannot be used in indexes or generated columns; this wrapper can.
    this.addSql(
      `CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
       AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('DROP FUNCTION IF EXISTS f_unaccent(text);');
  }
}
