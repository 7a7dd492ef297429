/**
 * A shard's result file, DIR/shards/shard-NNNNNN.bin: a text header line
 *   INFOMEM-SHARD 1 {"plan": id, "index": i, "count": n, "sha256": hex of the values}\n
 * then n float64 little-endian values. Written under a temporary name and renamed: a file that
 * exists is complete, and its checksum tells a truncated or corrupted one from a good one.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const MAGIC = 'INFOMEM-SHARD 1 ';

export interface ShardHeader {
  plan: string;
  index: number;
  count: number;
  sha256: string;
  seconds: number;
}

/** The path of shard `index`'s file in plan directory `dir`. */
export function shardPath(dir: string, index: number): string {
  return join(dir, 'shards', `shard-${String(index).padStart(6, '0')}.bin`);
}

function digest(values: Float64Array): string {
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
}

/** Writes a shard's values atomically (a temporary file, then a rename). */
export async function writeShard(dir: string, index: number, plan: string, values: Float64Array, seconds: number): Promise<void> {
  const path = shardPath(dir, index);
  await mkdir(join(dir, 'shards'), { recursive: true });
  const header: ShardHeader = { plan, index, count: values.length, sha256: digest(values), seconds };
  const head = new TextEncoder().encode(`${MAGIC}${JSON.stringify(header)}\n`);
  const body = new Uint8Array(head.length + values.byteLength);
  body.set(head);
  body.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), head.length);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, body);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A shard file read back: its values, or why it cannot be used. */
export type ShardRead = { ok: true; header: ShardHeader; values: Float64Array } | { ok: false; problem: string };

/**
 * Reads shard `index` of plan `plan` with `count` values: 'missing', or a problem (another
 * plan's, truncated, corrupted) when it cannot be used.
 */
export async function readShard(dir: string, index: number, plan: string, count: number): Promise<ShardRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(shardPath(dir, index));
  } catch {
    return { ok: false, problem: 'missing' };
  }
  const nl = bytes.indexOf(10);
  const first = new TextDecoder().decode(bytes.subarray(0, nl < 0 ? Math.min(bytes.length, 4096) : nl));
  if (nl < 0 || !first.startsWith(MAGIC)) return { ok: false, problem: 'not a shard file (no header)' };
  let h: ShardHeader;
  try {
    h = JSON.parse(first.slice(MAGIC.length)) as ShardHeader;
  } catch {
    return { ok: false, problem: 'corrupt header' };
  }
  if (h.plan !== plan) return { ok: false, problem: 'from another plan' };
  if (h.index !== index) return { ok: false, problem: `holds shard ${h.index}` };
  if (h.count !== count) return { ok: false, problem: `holds ${h.count} values, the plan ${count}` };
  const data = bytes.subarray(nl + 1);
  if (data.length !== 8 * count) return { ok: false, problem: `truncated (${data.length} of ${8 * count} bytes)` };
  const values = new Float64Array(count);
  new Uint8Array(values.buffer).set(data);
  if (digest(values) !== h.sha256) return { ok: false, problem: 'corrupted (checksum differs)' };
  return { ok: true, header: h, values };
}
