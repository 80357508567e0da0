/** A report table, rendered to markdown (stdout, BENCHMARKS.md) and to HTML (the chart report). */
export interface ReportTable {
  /** Heading above the table. */
  readonly title: string;
  /** One paragraph under the heading. */
  readonly intro?: string;
  /** Column headers. */
  readonly headers: readonly string[];
  /** Alignment per column: `l` left, `r` right. */
  readonly align: readonly ('l' | 'r')[];
  /** Cells, already formatted. */
  readonly rows: readonly (readonly string[])[];
}

/** The table as a markdown section (`###` heading, intro, pipe table). */
export function tableToMarkdown(table: ReportTable): string {
  const escapePipes = (cell: string) => cell.replace(/\|/g, '\\|');
  return [
    `### ${table.title}`,
    '',
    ...(table.intro ? [table.intro, ''] : []),
    `| ${table.headers.map(escapePipes).join(' | ')} |`,
    `|${table.align.map((a) => (a === 'r' ? '--:' : '---')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(escapePipes).join(' | ')} |`),
  ].join('\n');
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The table as an HTML section. */
export function tableToHtml(table: ReportTable): string {
  const cell = (tag: string, text: string, index: number) =>
    `<${tag} class="${table.align[index] === 'r' ? 'r' : 'l'}">${escapeHtml(text)}</${tag}>`;
  return [
    `<h3>${escapeHtml(table.title)}</h3>`,
    ...(table.intro ? [`<p>${escapeHtml(table.intro)}</p>`] : []),
    '<table>',
    `<thead><tr>${table.headers.map((h, i) => cell('th', h, i)).join('')}</tr></thead>`,
    '<tbody>',
    ...table.rows.map((row) => `<tr>${row.map((c, i) => cell('td', c, i)).join('')}</tr>`),
    '</tbody></table>',
  ].join('\n');
}
