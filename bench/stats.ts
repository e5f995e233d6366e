/** Median and spread of repeated measurements of one thing. */
export interface Sample {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted.at(-1) as number, runs: values.length };
}

/** One row of the results: a figure, its baseline from the same run, their ratio and the target. */
export interface Row {
  group: string;
  name: string;
  unit: string;
  ours: Sample;
  baseline?: { name: string; sample: Sample };
  /** ours / baseline for times and sizes; for throughput, the reverse is stated in `note`. */
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

export function ratioRow(
  group: string,
  name: string,
  unit: string,
  ours: number[],
  baselineName: string,
  baseline: number[],
  target?: { max?: number; min?: number },
): Row {
  const o = summarize(ours);
  const b = summarize(baseline);
  const ratio = o.median / b.median;
  const met =
    target === undefined
      ? undefined
      : (target.max === undefined || ratio <= target.max) && (target.min === undefined || ratio >= target.min);
  const targetText =
    target?.max !== undefined ? `<= ${target.max}x` : target?.min !== undefined ? `>= ${target.min}x` : undefined;
  return { group, name, unit, ours: o, baseline: { name: baselineName, sample: b }, ratio, target: targetText, met };
}

export function formatSample(s: Sample, unit: string): string {
  const digits = unit === "ms" || unit === "req/s" || unit === "B" ? 0 : 2;
  return `${s.median.toFixed(digits)} ${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)}, n=${s.runs})`;
}

/** Runs `fns` round-robin `rounds` times, so drift on a shared machine hits every contender alike. */
export async function interleaved<K extends string>(
  rounds: number,
  fns: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const results = Object.fromEntries(Object.keys(fns).map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(fns) as K[]) results[key].push(await fns[key]());
  }
  return results;
}
