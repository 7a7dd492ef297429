import type { Progress } from '../engine/progress.js';

/**
 * Progress on stderr: a redrawn bar with rate and ETA on a TTY, plain lines (when a phase
 * starts, at most every 5 s while it runs, and when it ends) otherwise, nothing when quiet.
 */
export function progressReporter(stream: NodeJS.WriteStream, quiet: boolean): { update: (p: Progress) => void; end: () => void } {
  if (quiet) return { update: () => {}, end: () => {} };
  const tty = Boolean(stream.isTTY);
  let lastLine = 0;
  let lastPhase = '';
  let started = '';
  let drawn = false;
  const update = (p: Progress): void => {
    const frac = p.total > 0 ? p.done / p.total : 1;
    const eta = frac > 0 && frac < 1 ? (p.elapsed * (1 - frac)) / frac : 0;
    const rate = p.elapsed > 0 ? p.done / p.elapsed : 0;
    const bytes = p.unit === 'bytes';
    const unit = p.unit ?? (p.phase === 'mi' || p.phase === 'baseline' ? 'pairs' : 'neurons');
    const counts = bytes ? `${mib(p.done)}/${mib(p.total)} MiB` : `${p.done}/${p.total} ${unit}`;
    const speed = bytes ? `${mib(rate)} MiB/s` : `${formatRate(rate)}/s`;
    const text = `${p.phase.padEnd(8)} ${(100 * frac).toFixed(1).padStart(5)}%  ${counts}  ${speed}  ${p.elapsed.toFixed(1)}s elapsed${frac > 0 && frac < 1 ? `  ETA ${formatSeconds(eta)}` : ''}`;
    if (tty) {
      const width = 24;
      const full = Math.round(frac * width);
      stream.write(`\r[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${text}\x1b[K`);
      drawn = true;
      if (frac >= 1 && p.phase !== lastPhase) {
        stream.write('\n');
        drawn = false;
      }
      lastPhase = frac >= 1 ? p.phase : lastPhase;
    } else {
      const now = Date.now();
      const phaseDone = frac >= 1;
      if (phaseDone && p.phase === lastPhase) return;
      // a line when a phase starts, at most every 5 s while it runs, and when it ends
      const starts = p.phase !== started;
      if (phaseDone || starts || now - lastLine >= 5000) {
        stream.write(`${text}\n`);
        lastLine = now;
        started = p.phase;
        if (phaseDone) lastPhase = p.phase;
      }
    }
  };
  return {
    update,
    end: () => {
      if (tty && drawn) stream.write('\n');
    },
  };
}

function mib(b: number): string {
  return (b / 2 ** 20).toFixed(b < 10 * 2 ** 20 ? 1 : 0);
}

function formatRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)}M` : r >= 1e3 ? `${(r / 1e3).toFixed(1)}k` : r.toFixed(0);
}

function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
