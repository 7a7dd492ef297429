/** Whether `rel` (a `/`-separated path in an output directory) is a figure file the reports write. */
export function isFigureFile(rel: string): boolean {
  return /^figures\/[A-Za-z0-9][A-Za-z0-9._-]*\.(svg|png)$/.test(rel);
}
