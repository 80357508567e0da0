/** The title of every group of the suite, as they appear in test names (stable: tools parse them). */
export const conformanceGroups = {
  contract: 'contract shape',
  exclusivity: 'exclusivity',
  ownership: 'ownership',
  release: 'release',
  expiry: 'expiry',
  extend: 'extend',
  waiting: 'waiting',
  fencing: 'fencing',
  using: 'using',
  badInput: 'bad input',
  names: 'awkward resource names',
  stress: 'mutual-exclusion stress',
  leftovers: 'no leftovers',
} as const;

/** The key of one group in {@link conformanceGroups}. */
export type ConformanceGroup = keyof typeof conformanceGroups;
