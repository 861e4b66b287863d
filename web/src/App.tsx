import { useState } from 'react';
import { RouterProvider } from 'react-router/dom';
import { SessionProvider } from './auth/SessionProvider';
import { createAppRouter } from './routes/router';

/** The application: session (the signed-in user) around the router. Routes are in routes/router.tsx. */
export function App() {
  const [router] = useState(createAppRouter);
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
