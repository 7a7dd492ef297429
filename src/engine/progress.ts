/** Progress of a long computation, reported to a callback. */
export interface Progress {
  /** The phase: 'read', 'entropy', 'prepare', 'mi', 'baseline'. */
  readonly phase: string;
  /** Units done and in all (pairs for MI phases, neurons otherwise). */
  readonly done: number;
  readonly total: number;
  /** Seconds since the phase began. */
  readonly elapsed: number;
  /** What `done` and `total` count, when not pairs or neurons (`'bytes'` while reading). */
  readonly unit?: string;
}

export type ProgressCallback = (p: Progress) => void;

/** The error a cancelled computation rejects with. */
export class AbortError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}
