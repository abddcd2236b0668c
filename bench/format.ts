// Numbers and tables for the report (Markdown tables, so results paste into bench/README.md).

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function fmtRate(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n >= 100) return fmtInt(n);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function fmtRatio(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n >= 10) return `${n.toFixed(0)}x`;
  return `${n.toFixed(2)}x`;
}

export function fmtMB(n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(1)} MB` : '-';
}

export function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
