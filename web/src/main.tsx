import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n'; // initialises i18next (language from localStorage, default Vietnamese) before the first render
import './styles/app.css';
import { App } from './App';

const container = document.getElementById('root');
if (!container) throw new Error('#root missing from index.html');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
