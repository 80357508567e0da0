/** A numeric axis: its range (widened to whole ticks), where the ticks go, and linear or log10 scaling. */
export interface Axis {
  /** Lower end of the axis. */
  readonly min: number;
  /** Upper end of the axis. */
  readonly max: number;
  /** Tick values, ascending, from `min` to `max`. */
  readonly ticks: readonly number[];
  /** Logarithmic. */
  readonly log: boolean;
  /** Where `value` falls between `min` (0) and `max` (1). */
  fraction(value: number): number;
}

function linearTicks(min: number, max: number): number[] {
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const ticks: number[] = [];
  for (let t = Math.floor(min / unit) * unit; t < max + unit - unit * 1e-9; t += unit) {
    ticks.push(Number(t.toPrecision(6)));
  }
  return ticks;
}

function logTicks(min: number, max: number): number[] {
  // 1-2-5 steps when the data spans few decades, else decades; enclosing [min, max].
  const steps = Math.log10(max / min) <= 2.5 ? [1, 2, 5] : [1];
  const candidates: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of steps) candidates.push(Number((m * 10 ** e).toPrecision(6)));
  }
  const first = candidates.filter((t) => t <= min).at(-1) ?? candidates[0]!;
  const last = candidates.find((t) => t >= max) ?? candidates.at(-1)!;
  return candidates.filter((t) => t >= first && t <= last);
}

/**
 * An axis covering `values` with round ticks: linear from 0 (or below, for negative values), or log10 when
 * `log` is set (only positive values count then). Empty input gives the axis 0..1 (log: 1..10).
 */
export function axisFor(values: readonly number[], log = false): Axis {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  let lo = usable.length > 0 ? Math.min(...usable) : log ? 1 : 0;
  let hi = usable.length > 0 ? Math.max(...usable) : log ? 10 : 1;
  if (!log) lo = Math.min(0, lo);
  if (lo === hi) [lo, hi] = log ? [lo / 2, hi * 2] : [lo, lo + 1];
  const ticks = log ? logTicks(lo, hi) : linearTicks(lo, hi);
  const min = Math.min(lo, ticks[0]!);
  const max = Math.max(hi, ticks.at(-1)!);
  return {
    min,
    max,
    ticks,
    log,
    fraction: log
      ? (v) => (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
      : (v) => (v - min) / (max - min),
  };
}

/** A short tick label: `0`, `0.5`, `20`, `1.5k`, `2M`. */
export function tickLabel(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (abs >= 1e3) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}
