/**
 * Text as `deno fmt` formats it, with the project's settings, through stdin
 * (`deno fmt --ext=<ext> -`): for generated Markdown and for notebooks, whose
 * `deno fmt --check` misreports (`lib/cli/notebook_format.ts`).
 * @module
 */

/** `text` formatted as a `.ext` file of the project. */
export async function formatText(text: string, ext: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", `--ext=${ext}`, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { success, stdout, stderr } = await child.output();
  if (!success) throw new Error(`deno fmt --ext=${ext}: ${new TextDecoder().decode(stderr).trim()}`);
  return new TextDecoder().decode(stdout);
}
