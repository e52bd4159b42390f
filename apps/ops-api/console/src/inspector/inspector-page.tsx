import { useState } from 'preact/hooks';
import { ApiError, call, describe, type Settings } from '../api';

interface Actor {
  subject: string;
  role: string;
}
interface StreamEvent {
  streamVersion: number;
  eventType: string;
  globalPosition: number;
  recordedAt: string | null;
  actor: Actor | null;
  correlationId: string | null;
  detail: Record<string, unknown>;
}
interface AccountState {
  version: number;
  asOf: string;
  recordedAt: string;
  state: Record<string, unknown>;
}
interface Inspected {
  kind: 'account' | 'transfer';
  id: string;
  events: StreamEvent[];
  /** Transfers: the status after each step, from the query API (the write side has no transfer state view). */
  transfer?: Record<string, unknown>;
}
interface Moment {
  version: number;
  state: Record<string, unknown>;
  changed: Set<string>;
  label: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const shortType = (type: string) => type.split('.').at(-1) ?? type;
const show = (value: unknown) =>
  typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);

function changedFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
): Set<string> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return new Set([...keys].filter((key) => show(before?.[key]) !== show(after[key])));
}

async function allHistory(settings: Settings, id: string): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  let cursor: string | null = null;
  do {
    const query: string = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) }).toString();
    const page: { items: StreamEvent[]; nextCursor: string | null } = await call(
      settings.queryApiUrl,
      `/accounts/${id}/history?${query}`,
    );
    events.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && events.length < 1000);
  return events;
}

/** One account's or transfer's events in order, and its state at a moment or version, with what changed. */
export function InspectorPage({ settings }: { settings: Settings }) {
  const [id, setId] = useState('');
  const [inspected, setInspected] = useState<Inspected>();
  const [moment, setMoment] = useState<Moment>();
  const [asOf, setAsOf] = useState('');
  const [error, setError] = useState<string>();

  /** The account's state at `query` (asOf or version), compared with the version before it. */
  const showAccount = async (query: Record<string, string>, target = inspected!) => {
    setError(undefined);
    try {
      const at = await call<AccountState>(
        settings.commandApiUrl,
        `/accounts/${target.id}/state?${new URLSearchParams(query)}`,
      );
      const before =
        at.version > 1
          ? await call<AccountState>(
              settings.commandApiUrl,
              `/accounts/${target.id}/state?version=${at.version - 1}`,
            )
          : undefined;
      const event = target.events.find((e) => e.streamVersion === at.version);
      setMoment({
        version: at.version,
        state: at.state,
        changed: changedFields(before?.state, at.state),
        label: `as of ${query.asOf ?? at.recordedAt}: version ${at.version}${event ? `, after ${shortType(event.eventType)}` : ''}`,
      });
      if (query.version) setAsOf(at.recordedAt);
    } catch (failure) {
      setMoment(undefined);
      setError(
        failure instanceof ApiError && failure.status === 404
          ? `no state of the account ${query.asOf ? `as of ${query.asOf}` : 'then'}`
          : describe(failure),
      );
    }
  };

  const showTransfer = (version: number, target = inspected!) => {
    const steps = target.events;
    const step = steps.find((e) => e.streamVersion === version)!;
    const previous = steps.find((e) => e.streamVersion === version - 1);
    const state = { status: (step as unknown as { status: string }).status, ...step.detail };
    const before = previous
      ? { status: (previous as unknown as { status: string }).status, ...previous.detail }
      : undefined;
    setMoment({
      version,
      state,
      changed: changedFields(before, state),
      label: `version ${version}, after ${shortType(step.eventType)}`,
    });
    setAsOf(step.recordedAt ?? '');
  };

  const inspect = async () => {
    const wanted = id.trim().toLowerCase();
    setInspected(undefined);
    setMoment(undefined);
    setError(undefined);
    if (!UUID.test(wanted)) return setError('give an account or transfer id (a UUID)');
    try {
      const events = await allHistory(settings, wanted);
      const target: Inspected = { kind: 'account', id: wanted, events };
      setInspected(target);
      await showAccount({ version: String(events.at(-1)!.streamVersion) }, target);
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 404)) return setError(describe(failure));
      try {
        const transfer = await call<Record<string, unknown> & { history: StreamEvent[] }>(
          settings.queryApiUrl,
          `/transfers/${wanted}`,
        );
        const target: Inspected = { kind: 'transfer', id: wanted, events: transfer.history, transfer };
        setInspected(target);
        showTransfer(transfer.history.at(-1)!.streamVersion, target);
      } catch (second) {
        setError(
          second instanceof ApiError && second.status === 404
            ? `no account or transfer ${wanted}`
            : describe(second),
        );
      }
    }
  };

  const times =
    inspected?.events.map((e) => Date.parse(e.recordedAt ?? '')).filter((t) => !Number.isNaN(t)) ?? [];
  const [first, last] = [Math.min(...times), Math.max(...times)];
  const step = (delta: number) => {
    const version = (moment?.version ?? 1) + delta;
    if (inspected?.kind === 'account') void showAccount({ version: String(version) });
    else if (inspected) showTransfer(version);
  };
  const maxVersion = inspected?.events.at(-1)?.streamVersion ?? 1;

  return (
    <>
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          void inspect();
        }}
      >
        <label for="stream-id">Account or transfer id</label>
        <input id="stream-id" size={40} value={id} onInput={(event) => setId(event.currentTarget.value)} />
        <button type="submit">Inspect</button>
      </form>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      {inspected && (
        <div class="panels">
          <section aria-labelledby="events-title">
            <h2 id="events-title">
              Events of {inspected.kind} {inspected.id}
            </h2>
            <table aria-label="Events">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    Version
                  </th>
                  <th scope="col">Type</th>
                  <th scope="col" class="num">
                    Position
                  </th>
                  <th scope="col">Recorded at</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Correlation id</th>
                </tr>
              </thead>
              <tbody>
                {inspected.events.map((event) => (
                  <tr
                    key={event.streamVersion}
                    class={event.streamVersion === moment?.version ? 'selected' : undefined}
                    aria-current={event.streamVersion === moment?.version ? 'step' : undefined}
                  >
                    <td class="num">{event.streamVersion}</td>
                    <td>{shortType(event.eventType)}</td>
                    <td class="num">{event.globalPosition}</td>
                    <td>{event.recordedAt}</td>
                    <td>{event.actor ? `${event.actor.subject} (${event.actor.role})` : '–'}</td>
                    <td>{event.correlationId ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="state-title">
            <h2 id="state-title">State</h2>
            <div class="toolbar">
              <button
                type="button"
                class="secondary"
                disabled={!moment || moment.version <= 1}
                onClick={() => step(-1)}
              >
                Previous version
              </button>
              <span aria-live="polite">
                Version {moment?.version ?? '–'} of {maxVersion}
              </span>
              <button
                type="button"
                class="secondary"
                disabled={!moment || moment.version >= maxVersion}
                onClick={() => step(1)}
              >
                Next version
              </button>
            </div>
            {inspected.kind === 'account' && times.length > 0 && (
              <>
                <div class="slider">
                  <label for="as-of-slider">Time</label>
                  <input
                    id="as-of-slider"
                    type="range"
                    min={first}
                    max={last + 1000}
                    step={Math.max(1, Math.round((last + 1000 - first) / 200))}
                    value={Date.parse(asOf) || last}
                    aria-valuetext={asOf || new Date(last).toISOString()}
                    onInput={(event) => setAsOf(new Date(Number(event.currentTarget.value)).toISOString())}
                    onChange={(event) =>
                      void showAccount({ asOf: new Date(Number(event.currentTarget.value)).toISOString() })
                    }
                  />
                </div>
                <form
                  class="toolbar"
                  onSubmit={(event) => {
                    event.preventDefault();
                    if (Number.isNaN(Date.parse(asOf)))
                      return setError('as of must be an ISO-8601 date-time');
                    void showAccount({ asOf: new Date(asOf).toISOString() });
                  }}
                >
                  <label for="as-of">As of</label>
                  <input
                    id="as-of"
                    size={28}
                    value={asOf}
                    onInput={(event) => setAsOf(event.currentTarget.value)}
                  />
                  <button type="submit" class="secondary">
                    Show state
                  </button>
                </form>
              </>
            )}
            {moment && (
              <>
                <p class="hint">{moment.label}</p>
                <table aria-label="State">
                  <tbody>
                    {Object.entries(moment.state).map(([field, value]) => (
                      <tr key={field} data-field={field}>
                        <th scope="row">{field}</th>
                        <td>
                          {moment.changed.has(field) ? (
                            <mark title={`changed by version ${moment.version}`}>{show(value)}</mark>
                          ) : (
                            show(value)
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {moment.changed.size > 0 && (
                  <p class="hint">Highlighted: changed by version {moment.version}.</p>
                )}
              </>
            )}
          </section>
        </div>
      )}
    </>
  );
}
