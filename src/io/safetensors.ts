import { ChainruleError, badArgument, formatShape } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { LIMITS } from '../core/limits.js';
import { checkOptions, describe, quote } from '../core/validate.js';

// The safetensors layout (huggingface/safetensors): an 8-byte little-endian header length N, N
// bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {…}}, then the
// raw little-endian tensor data, every byte of it belonging to exactly one tensor. Bytes in,
// bytes out: this file runs in Node and in the browser alike.

/** The dtypes chainrule reads and writes. */
const DTYPES = { F32: 4, F64: 8 } as const;
type SafeDType = keyof typeof DTYPES;

/** The largest header accepted (the reference implementation's limit, 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** What a safetensors file holds. */
export interface SafetensorsContent {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

function corrupt(fn: string, message: string): ChainruleError {
  return new ChainruleError('bad_argument', `${fn}: not a valid safetensors file: ${message}`);
}

const dtypeOf = (t: Tensor): SafeDType => (t.dtype === 'float32' ? 'F32' : 'F64');

/**
 * Encodes named tensors (float32 as F32, float64 as F64) and string metadata in the safetensors
 * layout. Tensors are written in name order and the header padded with spaces to 8 bytes, so the
 * same tensors always give the same bytes.
 *
 * @example
 * const bytes = encodeSafetensors({ w: tensor([[1, 2]]) }, { note: 'demo' });
 * decodeSafetensors(bytes).tensors.w.toArray() // [[1, 2]]
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  return encodeAs('encodeSafetensors', tensors, metadata);
}

/** encodeSafetensors for `fn`, the function the user called (saveModule, encodeCheckpoint…). */
export function encodeAs(
  fn: string,
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  checkOptions(fn, 'tensors', tensors);
  for (const [k, v] of Object.entries(checkOptions(fn, 'metadata', metadata))) {
    if (typeof v !== 'string')
      throw badArgument(fn, `metadata[${quote(k)}] must be a string, got ${describe(v)}`);
  }
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === '__metadata__' || name === '')
      throw badArgument(fn, `${quote(name)} cannot name a tensor`);
    if (!(t instanceof Tensor))
      throw badArgument(fn, `tensors[${quote(name)}] must be a tensor, got ${describe(t)}`);
    const bytes = t.size * DTYPES[dtypeOf(t)];
    header[name] = {
      dtype: dtypeOf(t),
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  if (offset > LIMITS.maxFileBytes) {
    throw badArgument(
      fn,
      `the tensors hold ${offset} bytes; a file holds at most ${LIMITS.maxFileBytes} (see docs/limits.md)`,
    );
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  const start = 8 + json.length;
  for (const name of names) {
    const t = tensors[name]!;
    const [begin] = (header[name] as { data_offsets: [number, number] }).data_offsets;
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), start + begin);
    } else {
      const size = DTYPES[dtypeOf(t)];
      t.data.forEach((v, i) =>
        size === 4
          ? view.setFloat32(start + begin + 4 * i, v, true)
          : view.setFloat64(start + begin + 8 * i, v, true),
      );
    }
  }
  return out;
}

/**
 * Decodes a safetensors file, checking everything before it trusts anything: the header length
 * (bounded, inside the file), the JSON, every dtype, shape and offset, and that the data is
 * covered exactly, with no gap, overlap or trailing bytes. A truncated or corrupted file is a
 * clear error; the tensors returned are copies.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(bytes);
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  return decodeAs('decodeSafetensors', bytes);
}

/** decodeSafetensors for `fn`, the function the user called (loadModule, decodeCheckpoint…). */
export function decodeAs(fn: string, bytes: Uint8Array): SafetensorsContent {
  if (!(bytes instanceof Uint8Array))
    throw badArgument(fn, `argument bytes must be a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length < 8)
    throw corrupt(fn, `it has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_BYTES) {
    throw corrupt(
      fn,
      `the header length ${high * 2 ** 32 + low} is more than the ${MAX_HEADER_BYTES} bytes allowed`,
    );
  }
  if (8 + low > bytes.length) {
    throw corrupt(
      fn,
      `the header claims ${low} bytes but only ${bytes.length - 8} follow (truncated?)`,
    );
  }
  let header: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + low));
    if (!text.startsWith('{')) throw new Error('the header does not start with {');
    header = JSON.parse(text);
  } catch (error) {
    throw corrupt(
      fn,
      `the header is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw corrupt(fn, 'the header is not a JSON object');
  const dataStart = 8 + low;
  const dataLength = bytes.length - dataStart;
  const metadata = new Map<string, string>();
  const entries: { name: string; dtype: SafeDType; shape: number[]; begin: number; end: number }[] =
    [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
        throw corrupt(fn, '__metadata__ is not an object');
      for (const [k, v] of Object.entries(entry as object)) {
        if (typeof v !== 'string') throw corrupt(fn, `__metadata__[${quote(k)}] is not a string`);
        metadata.set(k, v);
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (e === null || typeof e !== 'object')
      throw corrupt(fn, `the entry of tensor ${quote(name)} is not an object`);
    if (typeof e.dtype !== 'string' || !Object.hasOwn(DTYPES, e.dtype)) {
      throw corrupt(
        fn,
        `tensor ${quote(name)}: the dtype must be F32 or F64 (what chainrule reads), got ${describe(e.dtype)}`,
      );
    }
    const shape = e.shape;
    if (
      !Array.isArray(shape) ||
      shape.length > LIMITS.maxRank ||
      !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
    ) {
      throw corrupt(
        fn,
        `tensor ${quote(name)}: the shape must be a list of sizes, got ${describe(shape)}`,
      );
    }
    const size = (shape as number[]).reduce((a, d) => a * d, 1);
    if (size > LIMITS.maxTensorSize)
      throw corrupt(
        fn,
        `tensor ${quote(name)} of shape ${formatShape(shape as number[])} is too large`,
      );
    const offsets = e.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)
    ) {
      throw corrupt(
        fn,
        `tensor ${quote(name)}: data_offsets must be [begin, end], got ${describe(offsets)}`,
      );
    }
    const [begin, end] = offsets as [number, number];
    const dtype = e.dtype as SafeDType;
    if (end < begin || end > dataLength) {
      throw corrupt(
        fn,
        `tensor ${quote(name)} claims bytes ${begin}–${end} of a data section of ${dataLength} bytes (truncated?)`,
      );
    }
    if (end - begin !== size * DTYPES[dtype]) {
      throw corrupt(
        fn,
        `tensor ${quote(name)} (${dtype}, shape ${formatShape(shape as number[])}) needs ${size * DTYPES[dtype]} bytes, its offsets give ${end - begin}`,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of sorted) {
    if (e.begin !== covered) {
      throw corrupt(
        fn,
        e.begin < covered
          ? `tensor ${quote(e.name)} overlaps the tensor before it`
          : `bytes ${covered}–${e.begin} of the data belong to no tensor`,
      );
    }
    covered = e.end;
  }
  if (covered !== dataLength)
    throw corrupt(fn, `the file has ${dataLength - covered} bytes after the last tensor`);
  const tensors = Object.fromEntries(
    entries.map(({ name, dtype, shape, begin, end }) => {
      const at = bytes.byteOffset + dataStart + begin;
      let data: Float32Array | Float64Array;
      if (LITTLE_ENDIAN) {
        const copy = bytes.buffer.slice(at, bytes.byteOffset + dataStart + end);
        data = dtype === 'F32' ? new Float32Array(copy) : new Float64Array(copy);
      } else {
        const n = (end - begin) / DTYPES[dtype];
        data = dtype === 'F32' ? new Float32Array(n) : new Float64Array(n);
        for (let i = 0; i < n; i++) {
          data[i] =
            dtype === 'F32'
              ? view.getFloat32(dataStart + begin + 4 * i, true)
              : view.getFloat64(dataStart + begin + 8 * i, true);
        }
      }
      return [name, new Tensor(data, shape)];
    }),
  );
  return { tensors, metadata: Object.fromEntries(metadata) };
}
