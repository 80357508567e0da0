const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** The colour of the `index`-th series; the same index gets the same colour in every chart of a report. */
export function seriesColour(index: number): string {
  return COLOURS[index % COLOURS.length]!;
}
