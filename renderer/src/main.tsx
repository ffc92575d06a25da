/** Renderer entry: styles, i18n, then the React tree. */
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, startBoot } from './app/app';
import { initI18n } from './i18n';

// A file dropped outside a drop zone would make the window navigate to it; nothing in Parley wants that.
for (const type of ['dragover', 'drop'] as const) {
  window.addEventListener(type, (event) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
  });
}

const container = document.getElementById('root');
if (!container) throw new Error('Parley: #root is missing from index.html');
// i18next first (English is in at once), then the core's first answers (vault state, settings): the first
// render waits for the system language's catalogue and for those answers (app.tsx startBoot, at most a
// second), so the first screen shows at once, without a key, a "Loading…" or another language first.
void Promise.all([initI18n(), startBoot()]).then(() => {
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
