import { PROJECTIONS } from '@ledger/read-models';

/** The projection behind a group of endpoints: its consumer group name and the topics it reads. */
export interface ProjectionFeed {
  name: string;
  topics: readonly string[];
}

export type FeedKey = keyof typeof PROJECTIONS;
export type ProjectionFeeds = Record<FeedKey, ProjectionFeed>;

export const PROJECTION_FEEDS = Symbol('PROJECTION_FEEDS');
export const DEFAULT_FEEDS: ProjectionFeeds = PROJECTIONS;
