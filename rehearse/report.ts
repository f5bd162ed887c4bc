/** The rehearsal's final table and summary, as `npm run rehearse` prints them. */
import { describeEmulatorGaps } from './emulator-gaps';
import type { EnvironmentRehearsal } from './rehearsal';

const COLUMNS = ['stack', 'resources', 'apply s', 'converged', 'update', 'destroy s'] as const;

function table(rows: readonly (readonly string[])[]): string {
  const widths = COLUMNS.map((column, index) => Math.max(column.length, ...rows.map((row) => row[index].length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => (index === 0 || index === 3 || index === 4 ? cell.padEnd(widths[index]) : cell.padStart(widths[index]))).join('  ');
  return [line(COLUMNS), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function rehearsalTable(rehearsals: readonly EnvironmentRehearsal[]): string {
  const rows = rehearsals.flatMap((rehearsal) =>
    rehearsal.stacks.map((stack) => [
      stack.stack,
      String(stack.resources),
      stack.applySeconds.toFixed(1),
      stack.converged,
      stack.update === '–' ? '–' : `${stack.update} (${stack.updateSeconds.toFixed(1)} s)`,
      stack.destroySeconds > 0 ? stack.destroySeconds.toFixed(1) : '–',
    ]),
  );
  return table(rows);
}

export function rehearsalSummary(rehearsals: readonly EnvironmentRehearsal[]): string {
  const lines = [rehearsalTable(rehearsals), ''];
  for (const rehearsal of rehearsals) {
    lines.push(`${rehearsal.environment}: rehearsed in ${rehearsal.seconds.toFixed(1)} s; update round: ${rehearsal.updateRound.join(', ')}`);
    const protections = rehearsal.stacks.flatMap((stack) => stack.protections.map((protection) => `${stack.stack}: ${protection}`));
    if (protections.length > 0) lines.push(`  data protections shown to hold: ${protections.join('; ')}`);
    lines.push(`  re-create after destroy: ${rehearsal.recreate}`);
  }
  lines.push('', 'Emulator gaps (the only departures from the synthesized configuration and the only tolerated plan differences):', describeEmulatorGaps());
  return lines.join('\n');
}
