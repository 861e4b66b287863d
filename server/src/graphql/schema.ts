import fs from 'node:fs';
import path from 'node:path';
import { createSchema } from 'graphql-yoga';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { CalendarDateScalar } from './scalars';
import { repoRoot } from '../config/config';
import { identityResolvers } from '../modules/identity/identity.resolvers';
import { documentsResolvers } from '../modules/documents/documents.resolvers';
import { outgoingResolvers } from '../modules/documents/outgoing.resolvers';
import { inboxResolvers } from '../modules/documents/inbox.resolvers';
import { registersResolvers } from '../modules/documents/registers.resolvers';
import { reportsResolvers } from '../modules/documents/reports.resolvers';
import { realtimeResolvers } from '../modules/documents/realtime.resolvers';
import { ocrResolvers } from '../modules/ocr/ocr.resolvers';
import { settingsResolvers } from '../modules/documents/settings.resolvers';
import { adminResolvers } from '../modules/admin/admin.resolvers';
import { notificationsResolvers } from '../modules/notifications/notifications.resolvers';
import { searchResolvers } from '../modules/search/search.resolvers';
import { meetingsResolvers } from '../modules/meetings/meetings.resolvers';
import { recordsResolvers } from '../modules/records/records.resolvers';
import { signingResolvers } from '../modules/signing/signing.resolvers';
import { businessResolvers } from '../modules/exchange/business/business.resolvers';
import { peersResolvers } from '../modules/exchange/peers/peers.resolvers';
import { UploadScalar } from './scalars';
import type { GraphQLContext } from './context';
import type { Resolvers } from './generated/resolvers';

/** schema/*.graphql is the single source of truth (one file per module). */
export function loadTypeDefs(dir = path.join(repoRoot, 'schema')): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort((a, b) => (a === 'base.graphql' ? -1 : b === 'base.graphql' ? 1 : a.localeCompare(b)))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

const baseResolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Date: CalendarDateScalar,
  JSON: JSONResolver,
  Upload: UploadScalar,
  Query: { health: () => 'ok' },
  Mutation: { _noop: () => null },
};

/** Every module's resolvers. Add new modules here. */
export const moduleResolvers: Resolvers[] = [baseResolvers, identityResolvers, documentsResolvers, outgoingResolvers, inboxResolvers, registersResolvers, reportsResolvers, realtimeResolvers, ocrResolvers, settingsResolvers, adminResolvers, notificationsResolvers, searchResolvers, recordsResolvers, meetingsResolvers, signingResolvers, businessResolvers, peersResolvers];

export function buildSchema() {
  return createSchema<GraphQLContext>({
    typeDefs: loadTypeDefs(),
    resolvers: moduleResolvers as never,
  });
}
