import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, describe, type Settings } from '../api';
import type { Projection } from '../projections/projections-page';
import { type Confirmation, ConfirmDialog } from './confirm-dialog';

interface DeadLetter {
  id: string;
  projection: string;
  streamId: string;
  streamVersion: number | null;
  eventType: string | null;
  source: { topic: string; partition: number; offset: string };
  attempts: number;
  firstFailedAt: string;
  deadLetteredAt: string;
  errorClass: string;
  errorMessage: string;
  status: string;
  parkedBehind: number;
}
interface DeadLetterDetail extends DeadLetter {
  headers: Record<string, string>;
  event: { type: string; version: number; data: unknown } | null;
  decodeError?: string;
}

const shortType = (type: string | null) => type?.split('.').at(-1) ?? 'unknown type';

const origin = () => window.location.origin;

/** Dead-lettered events of one projection: failure headers, the decoded event, redrive and discard. */
export function DeadLettersPage({ settings }: { settings: Settings }) {
  const [projections, setProjections] = useState<Projection[]>([]);
  const [projection, setProjection] = useState('');
  const [includeResolved, setIncludeResolved] = useState(false);
  const [letters, setLetters] = useState<DeadLetter[]>();
  const [shown, setShown] = useState<DeadLetterDetail>();
  const [confirmation, setConfirmation] = useState<Confirmation>();
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();

  const loadProjections = useCallback(
    () =>
      call<{ projections: Projection[] }>(settings.queryApiUrl, '/projections').then(
        ({ projections: report }) => {
          setProjections(report);
          const first = report.find((p) => p.parked.deadLettered > 0) ?? report[0];
          if (first) setProjection((current) => current || first.name);
        },
        (error: unknown) => setMessage({ text: describe(error), error: true }),
      ),
    [settings],
  );
  useEffect(() => void loadProjections(), [loadProjections]);

  const refresh = useCallback(async () => {
    if (!projection) return;
    try {
      const query = new URLSearchParams({ projection, status: includeResolved ? 'all' : 'dead' });
      const { items } = await call<{ items: DeadLetter[] }>(origin(), `/operations/dead-letters?${query}`);
      setLetters(items);
      void loadProjections();
    } catch (error) {
      setMessage({ text: describe(error), error: true });
    }
  }, [projection, includeResolved, loadProjections]);
  useEffect(() => {
    setShown(undefined);
    void refresh();
  }, [refresh]);

  const show = async (letter: DeadLetter) => {
    try {
      setShown(
        await call<DeadLetterDetail>(
          origin(),
          `/operations/dead-letters/${letter.id}?${new URLSearchParams({ projection })}`,
        ),
      );
    } catch (error) {
      setMessage({ text: describe(error), error: true });
    }
  };

  const act = (operation: 'redrive' | 'discard', letter?: DeadLetter) => {
    const target = letter
      ? `stream ${letter.streamId}`
      : `every dead-lettered stream (${letters?.filter((l) => l.status === 'dead').length ?? 0})`;
    const behind = letter
      ? ` and the ${letter.parkedBehind} event(s) parked behind it`
      : ' and the events parked behind them';
    const what = letter
      ? `its dead-lettered event v${letter.streamVersion ?? '?'} ${shortType(letter.eventType)}`
      : 'their dead-lettered events';
    const consequence =
      operation === 'redrive'
        ? `Redrive ${target} of ${projection}: ${what} goes back to the first retry topic, due now; once it applies,${behind} follow in order. If it fails again it climbs the retry ladder again.`
        : `Discard ${target} of ${projection}: ${what} is dropped for good and never applied to the read model;${behind} are applied in order.`;
    setConfirmation({
      title: `${operation === 'redrive' ? 'Redrive' : 'Discard'} ${letter ? letter.streamId : 'all'}?`,
      consequence,
      action: operation === 'redrive' ? 'Confirm redrive' : 'Confirm discard',
      danger: operation === 'discard',
      run: async () => {
        try {
          const body = letter ? { projection, streamId: letter.streamId } : { projection, all: true };
          const result = await call<{ streams: string[] }>(
            origin(),
            `/operations/dead-letters/${operation}`,
            { method: 'POST', body },
          );
          const verb = operation === 'redrive' ? 'Redriven' : 'Discarded';
          setMessage({
            text: result.streams.length ? `${verb}: ${result.streams.join(', ')}` : `Nothing to ${operation}`,
          });
          setShown(undefined);
          await refresh();
        } catch (error) {
          setMessage({ text: describe(error), error: true });
        }
      },
    });
  };

  const dead = letters?.filter((letter) => letter.status === 'dead') ?? [];
  return (
    <>
      <div class="toolbar">
        <label for="projection">Projection</label>
        <select
          id="projection"
          value={projection}
          onChange={(event) => setProjection(event.currentTarget.value)}
        >
          {projections.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} ({p.parked.deadLettered} dead-lettered)
            </option>
          ))}
        </select>
        <label>
          <input
            type="checkbox"
            checked={includeResolved}
            onChange={(event) => setIncludeResolved(event.currentTarget.checked)}
          />{' '}
          include redriven and discarded
        </label>
        <button type="button" class="secondary" onClick={() => void refresh()}>
          Refresh
        </button>
        <button type="button" disabled={dead.length === 0} onClick={() => act('redrive')}>
          Redrive all
        </button>
        <button type="button" class="danger" disabled={dead.length === 0} onClick={() => act('discard')}>
          Discard all
        </button>
      </div>
      <div aria-live="polite">
        {message && <p class={message.error ? 'message error' : 'message'}>{message.text}</p>}
      </div>
      {letters && letters.length === 0 && <p>No dead letters in {projection}.</p>}
      {letters && letters.length > 0 && (
        <table aria-label="Dead letters">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Stream</th>
              <th scope="col">Event</th>
              <th scope="col">Source</th>
              <th scope="col" class="num">
                Attempts
              </th>
              <th scope="col">First failure</th>
              <th scope="col">Error</th>
              <th scope="col" class="num">
                Behind it
              </th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr
                key={letter.id}
                class={shown?.id === letter.id ? 'selected' : undefined}
                data-stream={letter.streamId}
              >
                <td>{letter.id}</td>
                <td>{letter.streamId}</td>
                <td>
                  v{letter.streamVersion ?? '?'} {shortType(letter.eventType)}
                </td>
                <td class="source">
                  {letter.source.topic} / {letter.source.partition} @ {letter.source.offset}
                </td>
                <td class="num">{letter.attempts}</td>
                <td>{new Date(letter.firstFailedAt).toLocaleString()}</td>
                <td>
                  {letter.errorClass}: {letter.errorMessage}
                </td>
                <td class="num">{letter.parkedBehind}</td>
                <td>{letter.status}</td>
                <td>
                  <div class="actions">
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => void show(letter)}
                      aria-label={`Show dead letter ${letter.id}`}
                    >
                      Show
                    </button>
                    {letter.status === 'dead' && (
                      <>
                        <button
                          type="button"
                          onClick={() => act('redrive', letter)}
                          aria-label={`Redrive ${letter.streamId}`}
                        >
                          Redrive
                        </button>
                        <button
                          type="button"
                          class="danger"
                          onClick={() => act('discard', letter)}
                          aria-label={`Discard ${letter.streamId}`}
                        >
                          Discard
                        </button>
                      </>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown && (
        <section aria-labelledby="shown-title">
          <h2 id="shown-title">
            Dead letter {shown.id}: {shown.event?.type ?? shown.eventType} of {shown.streamId}
          </h2>
          {shown.decodeError && <p class="message error">Not decodable: {shown.decodeError}</p>}
          <div class="panels">
            <div>
              <h3>Event (decoded from Avro)</h3>
              <pre aria-label="Decoded event" tabIndex={0}>
                {JSON.stringify(shown.event, null, 2)}
              </pre>
            </div>
            <div>
              <h3>Record headers</h3>
              <pre aria-label="Record headers" tabIndex={0}>
                {JSON.stringify(shown.headers, null, 2)}
              </pre>
            </div>
          </div>
        </section>
      )}
      {confirmation && (
        <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(undefined)} />
      )}
    </>
  );
}
