/**
 * `--help` on every `deno task`: the command's own module comment (the usage
 * line and what it does, as its source documents it), exit 0, before the
 * command does anything (`deno task test --help` used to start the whole suite).
 * @module
 */

/** True when the arguments ask for help (`--help` or `-h` anywhere). */
export function helpAsked(args: readonly string[] = Deno.args): boolean {
  return args.includes("--help") || args.includes("-h");
}

/** The leading `/** … *\/` comment of the module at `url`, as plain text (without `@module`). */
export function moduleDoc(url: string): string {
  const source = Deno.readTextFileSync(new URL(url));
  const block = source.match(/\/\*\*([\s\S]*?)\*\//)?.[1] ?? "";
  return block.split("\n").map((l) => l.replace(/^\s*\* ?/, "")).filter((l) => !/^@module/.test(l.trim()))
    .join("\n").trim();
}

/**
 * Prints the usage of the modules at `urls` (each command passes its own
 * `import.meta.url`, and any it hands over to) and exits 0 when the arguments
 * ask for help; otherwise returns.
 */
export function exitWithUsage(
  urls: string | string[],
  args: readonly string[] = Deno.args,
  trailer?: () => string,
): void {
  if (!helpAsked(args)) return;
  console.log([urls].flat().map(moduleDoc).join("\n\n") + (trailer ? `\n\n${trailer()}` : ""));
  Deno.exit(0);
}
