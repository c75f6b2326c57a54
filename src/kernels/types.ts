/** Raw storage of a tensor: a contiguous row-major typed array. */
export type Data = Float64Array | Float32Array;
export type DType = 'float64' | 'float32';

export function allocate(dtype: DType, size: number): Data {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}
