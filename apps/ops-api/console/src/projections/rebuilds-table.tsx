export interface Rebuild {
  readModel: string;
  version: number;
  previousVersion: number;
  group: string;
  mode: string;
  state: string;
  eventsApplied: number;
  eventsTotal: number;
  lagEvents: number | null;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  message: string | null;
  startedAt: string;
  updatedAt: string;
  swappedAt: string | null;
  dropAfter: string | null;
  previousDroppedAt: string | null;
}

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '–');

function previousFate(rebuild: Rebuild): string {
  if (rebuild.state !== 'swapped') return '–';
  if (rebuild.previousDroppedAt) return `dropped ${time(rebuild.previousDroppedAt)}`;
  return rebuild.dropAfter ? `dropped after ${time(rebuild.dropAfter)}` : 'kept';
}

/** The latest rebuilds (ops-cli projections rebuild): a running one's progress, the others' outcome. */
export function RebuildsTable({ rebuilds }: { rebuilds: Rebuild[] }) {
  if (rebuilds.length === 0) return <p class="hint">No rebuild has run.</p>;
  return (
    <table aria-label="Rebuilds">
      <thead>
        <tr>
          <th scope="col">Read model</th>
          <th scope="col">Version</th>
          <th scope="col">Mode</th>
          <th scope="col">State</th>
          <th scope="col">Progress</th>
          <th scope="col" class="num">
            Lag (events)
          </th>
          <th scope="col" class="num">
            Rate (events/s)
          </th>
          <th scope="col" class="num">
            ETA (s)
          </th>
          <th scope="col">Started</th>
          <th scope="col">Swapped</th>
          <th scope="col">Previous version</th>
        </tr>
      </thead>
      <tbody>
        {rebuilds.map((rebuild) => (
          <tr
            key={`${rebuild.readModel}/${rebuild.version}`}
            data-rebuild={`${rebuild.readModel}/${rebuild.version}`}
            data-state={rebuild.state}
          >
            <th scope="row">{rebuild.readModel}</th>
            <td>
              {rebuild.previousVersion} → {rebuild.version}
            </td>
            <td>{rebuild.mode}</td>
            <td>
              <span class={`status status-rebuild-${rebuild.state}`} title={rebuild.message ?? undefined}>
                {rebuild.state}
              </span>
              {rebuild.state === 'failed' && rebuild.message && <div class="muted">{rebuild.message}</div>}
            </td>
            <td data-field="applied">
              <progress
                max={Math.max(1, rebuild.eventsTotal)}
                value={rebuild.eventsApplied}
                aria-label={`${rebuild.readModel} version ${rebuild.version}: ${rebuild.eventsApplied} of ${rebuild.eventsTotal} events`}
              />{' '}
              {rebuild.eventsApplied}/{rebuild.eventsTotal}
            </td>
            <td class="num" data-field="lag">
              {rebuild.lagEvents ?? '–'}
            </td>
            <td class="num">{rebuild.ratePerSecond === null ? '–' : rebuild.ratePerSecond.toFixed(0)}</td>
            <td class="num">
              {rebuild.state === 'building' && rebuild.etaSeconds !== null
                ? rebuild.etaSeconds.toFixed(0)
                : '–'}
            </td>
            <td>{time(rebuild.startedAt)}</td>
            <td>{time(rebuild.swappedAt)}</td>
            <td>{previousFate(rebuild)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
