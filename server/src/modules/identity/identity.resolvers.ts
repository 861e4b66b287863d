import type { Resolvers } from '../../graphql/generated/resolvers';
import { allowedOrigins, cookieTrusted, SESSION_COOKIE } from '../../graphql/context';

/** Thin resolvers: parse arguments, call the service, shape nothing. */
export const identityResolvers: Resolvers = {
  Query: {
    me: (_p, _a, { scope, services }) => services.identity.me(scope),
    agencies: (_p, args, { scope, services }) => services.identity.agencies(scope, args),
    agency: (_p, { id }, { scope, services }) => services.identity.agency(scope, id),
    units: (_p, { agencyId }, { scope, services }) => services.identity.units(scope, agencyId),
    users: (_p, args, { scope, services }) => services.identity.users(scope, args),
    colleagues: (_p, args, { scope, services }) => services.identity.colleagues(scope, args),
  },
  Mutation: {
    login: async (_p, { username, password }, { scope, services, req, res }) => {
      const r = await services.identity.login(scope, username, password);
      // No cookie for a request a foreign page could have forged (login CSRF); the token is in the answer,
      // which such a page cannot read.
      if (!cookieTrusted(req, allowedOrigins(services.config))) return r;
      res.cookie(SESSION_COOKIE, r.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: services.config.publicUrl.startsWith('https:'),
        path: '/',
        expires: r.expiresAt,
      });
      return r;
    },
    logout: async (_p, _a, { scope, services, res }) => {
      const ok = await services.identity.logout(scope);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
      return ok;
    },
    createUser: (_p, { input }, { scope, services }) => services.identity.createUser(scope, input),
  },
  Agency: {
    parent: (a, _x, { loaders }) => (a.parent ? loaders.agency.load(a.parent.id) : null),
    units: (a, _x, { loaders }) => loaders.unitsByAgency.load(a.id),
  },
  Unit: {
    agency: async (u, _x, { loaders }) => (await loaders.agency.load(u.agency.id))!,
  },
  User: {
    agency: async (u, _x, { loaders }) => (await loaders.agency.load(u.agency.id))!,
    unit: (u, _x, { loaders }) => (u.unit ? loaders.unit.load(u.unit.id) : null),
    roles: (u) => u.roles,
  },
};
