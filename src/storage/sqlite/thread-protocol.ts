// Messages between a SqliteStore and the two storage threads it uses (journal, projector).
// Data only: they cross thread boundaries by structured clone, effects blocks without a copy.
import type { JournalEntry } from '../../journal/hash-chain.js';
import type { Synchronous } from './connection.js';
import type { ProjectorLimits } from './projector.js';

export interface OpenJournal {
  readonly type: 'open';
  readonly store: number;
  readonly path: string;
  readonly synchronous: Synchronous;
}

export interface OpenProjector {
  readonly type: 'open';
  readonly store: number;
  readonly journalPath: string;
  readonly projectionPath: string;
  readonly synchronous: Synchronous;
  readonly limits: ProjectorLimits;
  readonly paused: boolean;
}

export interface Append {
  readonly type: 'append';
  readonly store: number;
  readonly entry: JournalEntry;
  readonly effects: Uint8Array | null;
}

/** Journal thread → projector thread: an entry that is durable. */
export interface Project {
  readonly type: 'project';
  readonly store: number;
  readonly sequence: number;
  readonly hash: string;
  readonly effects: Uint8Array | null;
}

export interface Close {
  readonly type: 'close';
  readonly store: number;
}

export interface Pause {
  /** pause, resume, or hurry: a read waits, project without lingering. */
  readonly type: 'pause' | 'resume' | 'hurry';
  readonly store: number;
}

export type ToJournal = OpenJournal | Append | Close;
export type ToProjector = OpenProjector | Close | Pause;

/** Projector thread → journal thread: effects through `sequence` may be deleted. */
export interface Projected {
  readonly type: 'projected';
  readonly store: number;
  readonly sequence: number;
}

export type FromThread =
  | { readonly type: 'opened'; readonly store: number; readonly sequence: number }
  | { readonly type: 'durable'; readonly store: number; readonly sequence: number }
  | Projected
  | { readonly type: 'closed'; readonly store: number }
  | { readonly type: 'failed'; readonly store: number; readonly message: string };

export type ThreadRole = 'journal' | 'projector';
