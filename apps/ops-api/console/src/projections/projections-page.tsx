import { useEffect, useRef, useState } from 'preact/hooks';
import { call, describe, type Settings } from '../api';
import { RebuildsTable, type Rebuild } from './rebuilds-table';
import { Sparkline } from './sparkline';

interface Partition {
  topic: string;
  partition: number;
  committedOffset: number | null;
  appliedOffset: number | null;
  logEndOffset: number;
  lagEvents: number;
  lagSeconds?: number;
  lastAppliedRecordedAt: string | null;
}
export interface Projection {
  name: string;
  status: string;
  lagEvents: number;
  parked: { retrying: number; deadLettered: number; events: number };
  group: { state: string; members: Array<{ memberId: string; clientId: string; clientHost: string }> };
  partitions: Partition[];
}

// Five minutes of samples at the default poll interval.
const KEPT_SAMPLES = 150;

interface Samples {
  times: number[];
  lag: number[];
}

const lagSecondsOf = (projection: Projection) =>
  Math.max(0, ...projection.partitions.map((partition) => partition.lagSeconds ?? 0));

/** Every projection's progress, polled from the query API, with its lag over the last minutes. */
export function ProjectionsPage({ settings }: { settings: Settings }) {
  const [projections, setProjections] = useState<Projection[]>();
  const [rebuilds, setRebuilds] = useState<Rebuild[]>();
  const [error, setError] = useState<string>();
  const [updatedAt, setUpdatedAt] = useState<Date>();
  const history = useRef(new Map<string, Samples>());

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      try {
        const { projections: report, rebuilds: recent } = await call<{
          projections: Projection[];
          rebuilds?: Rebuild[];
        }>(settings.queryApiUrl, '/projections');
        if (stopped) return;
        const now = Date.now() / 1000;
        for (const projection of report) {
          const previous = history.current.get(projection.name) ?? { times: [], lag: [] };
          history.current.set(projection.name, {
            times: [...previous.times, now].slice(-KEPT_SAMPLES),
            lag: [...previous.lag, projection.lagEvents].slice(-KEPT_SAMPLES),
          });
        }
        setProjections(report);
        setRebuilds(recent ?? []);
        setUpdatedAt(new Date());
        setError(undefined);
      } catch (failure) {
        if (!stopped) setError(describe(failure));
      }
    };
    void poll();
    const timer = setInterval(poll, settings.pollIntervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [settings]);

  return (
    <>
      <p class="hint" aria-live="polite">
        Refreshes every {settings.pollIntervalMs / 1000} s
        {updatedAt ? `; last update ${updatedAt.toLocaleTimeString()}` : ''}.
      </p>
      {error && (
        <p class="message error" role="alert">
          {error}
        </p>
      )}
      {projections && (
        <table aria-label="Projections">
          <thead>
            <tr>
              <th scope="col">Projection</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Lag (events)
              </th>
              <th scope="col" class="num">
                Lag (seconds)
              </th>
              <th scope="col">Lag, last minutes</th>
              <th scope="col" class="num">
                Retrying streams
              </th>
              <th scope="col" class="num">
                Dead-lettered streams
              </th>
              <th scope="col" class="num">
                Parked events
              </th>
              <th scope="col">Consumer group</th>
            </tr>
          </thead>
          <tbody>
            {projections.map((projection) => {
              const samples = history.current.get(projection.name) ?? { times: [], lag: [] };
              return (
                <tr key={projection.name} data-projection={projection.name}>
                  <th scope="row">{projection.name}</th>
                  <td>
                    <span class={`status status-${projection.status}`}>{projection.status}</span>
                  </td>
                  <td class="num" data-field="lag-events">
                    {projection.lagEvents}
                  </td>
                  <td class="num">{lagSecondsOf(projection).toFixed(1)}</td>
                  <td>
                    <Sparkline
                      times={samples.times}
                      values={samples.lag}
                      label={`lag of ${projection.name} over the last minutes, now ${projection.lagEvents} events`}
                    />
                  </td>
                  <td class="num">{projection.parked.retrying}</td>
                  <td class="num" data-field="dead-lettered">
                    {projection.parked.deadLettered > 0 ? (
                      <a href={`#/dead-letters`}>{projection.parked.deadLettered}</a>
                    ) : (
                      0
                    )}
                  </td>
                  <td class="num">{projection.parked.events}</td>
                  <td data-field="group">
                    {projection.group.state}, {projection.group.members.length} member
                    {projection.group.members.length === 1 ? '' : 's'}
                    {projection.group.members.length > 0 && (
                      <ul class="members">
                        {projection.group.members.map((member) => (
                          <li key={member.memberId}>
                            {member.clientId} <span class="muted">{member.clientHost}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {rebuilds && (
        <section aria-labelledby="rebuilds-heading">
          <h2 id="rebuilds-heading">Rebuilds</h2>
          <RebuildsTable rebuilds={rebuilds} />
        </section>
      )}
      {projections?.map((projection) => (
        <details key={projection.name}>
          <summary>Partitions of {projection.name}</summary>
          <table aria-label={`Partitions of ${projection.name}`}>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col" class="num">
                  Partition
                </th>
                <th scope="col" class="num">
                  Committed
                </th>
                <th scope="col" class="num">
                  Applied
                </th>
                <th scope="col" class="num">
                  Log end
                </th>
                <th scope="col" class="num">
                  Lag
                </th>
                <th scope="col">Last applied event recorded at</th>
              </tr>
            </thead>
            <tbody>
              {projection.partitions.map((partition) => (
                <tr key={`${partition.topic}/${partition.partition}`}>
                  <td>{partition.topic}</td>
                  <td class="num">{partition.partition}</td>
                  <td class="num">{partition.committedOffset ?? '–'}</td>
                  <td class="num">{partition.appliedOffset ?? '–'}</td>
                  <td class="num">{partition.logEndOffset}</td>
                  <td class="num">{partition.lagEvents}</td>
                  <td>{partition.lastAppliedRecordedAt ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </>
  );
}
