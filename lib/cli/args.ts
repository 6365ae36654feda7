/**
 * Command-line arguments no command ignores: `node:util`'s `parseArgs` with
 * `allowPositionals` keeps every positional, and a command that reads only the
 * first would silently drop the rest (`deno task recipe ptb runs/x` printed the
 * shipped checkpoint's recipe, not `runs/x`'s).
 * @module
 */

/**
 * Exits with status 2 and a message naming the extra arguments when there are
 * more than `expected` positionals; `hint` says what was likely meant, e.g.
 * "a checkpoint is given as --checkpoint dir".
 */
export function refuseExtraArguments(positionals: string[], expected: number, hint: string): void {
  if (positionals.length <= expected) return;
  const extra = positionals.slice(expected);
  console.error(`unexpected argument${extra.length > 1 ? "s" : ""} ${extra.join(" ")}: ${hint}`);
  Deno.exit(2);
}
