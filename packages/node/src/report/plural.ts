// Counts in English: "1 device", "2 devices", "0 notices".

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
