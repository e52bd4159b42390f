import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { describe, forgetToken, loadSettings, type Settings, storedToken, storeToken } from './api';
import { DeadLettersPage } from './dead-letters/dead-letters-page';
import { InspectorPage } from './inspector/inspector-page';
import { ProjectionsPage } from './projections/projections-page';

const PAGES = [
  { hash: '#/projections', title: 'Projections', Page: ProjectionsPage },
  { hash: '#/dead-letters', title: 'Dead letters', Page: DeadLettersPage },
  { hash: '#/inspector', title: 'Stream inspector', Page: InspectorPage },
] as const;

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function TokenForm({ onToken }: { onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <main class="token">
      <h1>Ledger ops console</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const token = value.trim().replace(/^Bearer\s+/i, '');
          if (token) onToken(token);
        }}
      >
        <label for="token">Bearer token (role admin)</label>
        <textarea
          id="token"
          rows={5}
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
          required
        />
        <p class="hint">
          Mint one with <code>ops-cli token --sub you --role admin</code>. It stays in this browser tab only
          (sessionStorage).
        </p>
        <button type="submit">Use token</button>
      </form>
    </main>
  );
}

function App() {
  const [token, setToken] = useState(storedToken());
  const [settings, setSettings] = useState<Settings>();
  const [error, setError] = useState<string>();
  const hash = useHash();
  useEffect(() => {
    loadSettings().then(setSettings, (failure: unknown) => setError(describe(failure)));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!token) return <TokenForm onToken={(value) => (storeToken(value), setToken(value))} />;
  if (!settings) return <p>Loading…</p>;
  const current = PAGES.find((page) => page.hash === hash) ?? PAGES[0];
  return (
    <>
      <header>
        <span class="brand">Ledger ops</span>
        <nav aria-label="Console pages">
          {PAGES.map((page) => (
            <a key={page.hash} href={page.hash} aria-current={page === current ? 'page' : undefined}>
              {page.title}
            </a>
          ))}
        </nav>
        <button type="button" class="secondary" onClick={() => (forgetToken(), setToken(null))}>
          Forget token
        </button>
      </header>
      <main>
        <h1>{current.title}</h1>
        <current.Page settings={settings} />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
