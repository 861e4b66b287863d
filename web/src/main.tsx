import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n'; // initialises i18next (language from localStorage, default Vietnamese) before the first render
import './styles/app.css';
// the shared page parts (tables, toolbars, filters, badges, forms) every area uses: loaded with the entry, not with
// the first page that imports it — a page opened directly (a bookmark, a reload) must not depend on the way there
import './components/documents/documents.css';
import { App } from './App';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
