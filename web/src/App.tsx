import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { SessionProvider } from './auth/SessionProvider';
import { createAppRouter } from './routes/router';

/**
 * The application: the session (the signed-in user and its GraphQL client — urql + graphcache, see
 * graphql/urql.ts; a new client, so an empty cache, for every session) and the router. Routes are in
 * routes/router.tsx.
 */
export function App() {
  const [router] = useState(createAppRouter);
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
