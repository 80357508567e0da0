import type { Spread } from '../statistics.js';

/** `value` with `digits` decimals, `–` when not finite. */
export function fixed(value: number | null | undefined, digits = 0): string {
  return value !== null && value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** A ratio as `1.23×`, `–` when not finite. */
export function ratio(value: number | null | undefined): string {
  return value !== null && value !== undefined && Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

/** Median with min–max: `12 (10–15)`. */
export function withRange(s: Spread, digits = 0): string {
  return `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
}

/** A duration in ms with sensible precision. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Median and min–max of durations in ms. */
export function msRange(s: Spread): string {
  return `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
}
