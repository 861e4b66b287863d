import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { Provider as UrqlProvider } from 'urql';
import { createUrqlClient } from './graphql/urql';
import { SessionProvider } from './auth/SessionProvider';
import { createAppRouter } from './routes/router';

/**
 * The application: the GraphQL client (urql + graphcache, see graphql/urql.ts), the session (the signed-in
 * user) and the router. Routes are in routes/router.tsx.
 */
export function App() {
  const [router] = useState(createAppRouter);
  const [client] = useState(() => createUrqlClient());
  return (
    <UrqlProvider value={client}>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </UrqlProvider>
  );
}
