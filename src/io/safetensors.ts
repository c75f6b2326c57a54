import { ChainruleError, badArgument, formatShape } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { MAX_ELEMENTS, show } from '../nn/validate.js';

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

function corrupt(message: string): ChainruleError {
  return new ChainruleError(
    'bad_argument',
    `decodeSafetensors: not a valid safetensors file: ${message}`,
  );
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
  const fn = 'encodeSafetensors';
  if (tensors === null || typeof tensors !== 'object')
    throw badArgument(fn, `tensors must be an object of named tensors, got ${show(tensors)}`);
  for (const [k, v] of Object.entries(metadata ?? {})) {
    if (typeof v !== 'string')
      throw badArgument(fn, `metadata.${k} must be a string, got ${show(v)}`);
  }
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === '__metadata__' || name === '')
      throw badArgument(fn, `${show(name)} cannot name a tensor`);
    if (!(t instanceof Tensor)) throw badArgument(fn, `'${name}' must be a tensor, got ${show(t)}`);
    const bytes = t.size * DTYPES[dtypeOf(t)];
    header[name] = {
      dtype: dtypeOf(t),
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
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
  if (!(bytes instanceof Uint8Array))
    throw badArgument('decodeSafetensors', `bytes must be a Uint8Array, got ${show(bytes)}`);
  if (bytes.length < 8)
    throw corrupt(`it has ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_BYTES) {
    throw corrupt(
      `the header length ${high * 2 ** 32 + low} is more than the ${MAX_HEADER_BYTES} bytes allowed`,
    );
  }
  if (8 + low > bytes.length) {
    throw corrupt(
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
      `the header is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw corrupt('the header is not a JSON object');
  const dataStart = 8 + low;
  const dataLength = bytes.length - dataStart;
  const metadata = new Map<string, string>();
  const entries: { name: string; dtype: SafeDType; shape: number[]; begin: number; end: number }[] =
    [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
        throw corrupt('__metadata__ is not an object');
      for (const [k, v] of Object.entries(entry as object)) {
        if (typeof v !== 'string') throw corrupt(`__metadata__.${k} is not a string`);
        metadata.set(k, v);
      }
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (e === null || typeof e !== 'object')
      throw corrupt(`the entry of tensor '${name}' is not an object`);
    if (typeof e.dtype !== 'string' || !Object.hasOwn(DTYPES, e.dtype)) {
      throw corrupt(`tensor '${name}' has dtype ${show(e.dtype)}; chainrule reads F32 and F64`);
    }
    const shape = e.shape;
    if (
      !Array.isArray(shape) ||
      shape.length > 16 ||
      !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
    ) {
      throw corrupt(`tensor '${name}' has shape ${show(shape)}, not a list of sizes`);
    }
    const size = (shape as number[]).reduce((a, d) => a * d, 1);
    if (size > MAX_ELEMENTS)
      throw corrupt(`tensor '${name}' of shape ${formatShape(shape as number[])} is too large`);
    const offsets = e.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)
    ) {
      throw corrupt(`tensor '${name}' has data_offsets ${show(offsets)}, not [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    const dtype = e.dtype as SafeDType;
    if (end < begin || end > dataLength) {
      throw corrupt(
        `tensor '${name}' claims bytes ${begin}–${end} of a data section of ${dataLength} bytes (truncated?)`,
      );
    }
    if (end - begin !== size * DTYPES[dtype]) {
      throw corrupt(
        `tensor '${name}' (${dtype}, shape ${formatShape(shape as number[])}) needs ${size * DTYPES[dtype]} bytes, its offsets give ${end - begin}`,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of sorted) {
    if (e.begin !== covered) {
      throw corrupt(
        e.begin < covered
          ? `tensor '${e.name}' overlaps the tensor before it`
          : `bytes ${covered}–${e.begin} of the data belong to no tensor`,
      );
    }
    covered = e.end;
  }
  if (covered !== dataLength)
    throw corrupt(`the file has ${dataLength - covered} bytes after the last tensor`);
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
