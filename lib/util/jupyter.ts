/**
 * The Deno Jupyter kernel's display API, when this code runs inside it.
 * Reading `Deno.jupyter` outside `deno jupyter` throws in Deno 2.9 (it is a
 * getter), so `(Deno as any).jupyter` checks do not detect the kernel: the
 * read is wrapped, and everything that displays falls back to the console.
 * @module
 */

/** What the display helpers use of `Deno.jupyter`. */
export interface JupyterDisplay {
  display(bundle: Record<string, unknown>, opts: { raw: boolean }): Promise<void>;
  broadcast(type: string, content: unknown): Promise<void>;
}

/** `Deno.jupyter` inside the kernel; undefined under `deno run`, `deno test` and tasks. */
export function jupyter(): JupyterDisplay | undefined {
  try {
    return (Deno as unknown as { jupyter?: JupyterDisplay }).jupyter;
  } catch {
    return undefined; // "Deno.jupyter is only available in `deno jupyter` subcommand"
  }
}
