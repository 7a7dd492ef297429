/**
 * Axis labels for layer (or model) names that stay distinct and readable: transformer layers
 * are named like `/encoder/layer.11/attention/output/LayerNorm/Add_1_output_0`, twelve of them
 * differing in two characters, and an axis that truncates them at its label limit shows twelve
 * identical `/encoder/layer.1…`. The parts every name shares (whole tokens between `/ . _ : -`)
 * are taken off the front and the back and named once (in the axis title); what is left is
 * shortened in its middle when still long, and the full names are kept wherever two labels
 * would otherwise collide.
 */

/** Labels at most about this many characters. */
const MAX = 22;

export interface ShortLabels {
  labels: string[];
  /** The shared front and back taken off (empty when none), e.g. `/encoder/layer.` and `/output_0`. */
  prefix: string;
  suffix: string;
}

/** The tokens of a name, separators kept with the token before them. */
function tokens(name: string): string[] {
  return name.match(/[^/._:-]*[/._:-]?/g)!.filter((t) => t !== '');
}

/** Short distinct labels for `names` (returned as they are when there is one, or they repeat). */
export function shortLabels(names: readonly string[]): ShortLabels {
  const same: ShortLabels = { labels: names.map((n) => ellipsize(n, MAX)), prefix: '', suffix: '' };
  if (new Set(same.labels).size !== names.length) same.labels = [...names];
  if (names.length < 2 || new Set(names).size !== names.length) return same;
  const toks = names.map(tokens);
  let front = 0;
  while (toks.every((t) => t.length > front + 1 && t[front] === toks[0][front])) front++;
  let back = 0;
  while (toks.every((t) => t.length > front + back + 1 && t[t.length - 1 - back] === toks[0][toks[0].length - 1 - back])) back++;
  // the distinct middles, without the separators at their ends (which go to the title)
  const middle = toks.map((t) => t.slice(front, t.length - back).join(''));
  const cut = middle.map((c) => c.replace(/^[/._:-]+|[/._:-]+$/g, '') || c);
  const prefix = toks[0].slice(0, front).join('');
  const suffix = (/[/._:-]+$/.exec(middle[0])?.[0] ?? '') + toks[0].slice(toks[0].length - back).join('');
  if (new Set(cut).size !== names.length) return same;
  const labels = cut.map((c) => ellipsize(c, MAX));
  return { labels: new Set(labels).size === names.length ? labels : cut, prefix, suffix };
}

/** `text` cut to about `max` characters in its middle (`encoder…dense`), when longer. */
export function ellipsize(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${text.slice(0, head)}…${text.slice(text.length - tail)}`;
}

/** The axis title with the shared parts named: `Layer (/encoder/layer.* /output_0)`. */
export function titleWith(title: string, s: ShortLabels): string {
  if (!s.prefix && !s.suffix) return title;
  return `${title} (${ellipsize(s.prefix, 40)}*${ellipsize(s.suffix, 40)})`;
}
