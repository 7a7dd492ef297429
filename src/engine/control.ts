/**
 * The shared control words of a running job (an Int32Array over a SharedArrayBuffer): the next
 * task to take, the units of work done (for progress), and the cancellation flag.
 */
export const NEXT_TASK = 0;
export const DONE_WORK = 1;
export const CANCELLED = 2;
export const CONTROL_WORDS = 4;
