"""Execute Jupyter notebooks headless on the Deno kernel, losing no output.

Used by `deno task notebooks` (lib/cli/notebooks.ts), which sets JUPYTER_PATH to
the repository's kernelspec. Stock runners stop collecting a cell's messages at
the kernel's `idle` status; the Deno kernel sometimes sends `idle` before the
cell's `execute_result`, so outputs go missing. Here every cell keeps collecting
messages whose parent is its request until `idle` has been seen AND nothing has
arrived for a grace period, and the `execute_reply` has been received.

Usage: execute.py NOTEBOOK.ipynb OUT.ipynb [--timeout S] [--grace S] [--env K=V ...]
Exits 1 on the first cell error or timeout, naming the cell and the error's text
(from its error output, or from the kernel's reply where it sent no output, as
for a syntax error), with the outputs of the cells after it cleared: a failed
run never leaves an earlier run's outputs below the failure. 0 otherwise.
"""
import argparse
import queue
import re
import sys
import time

import nbformat
from jupyter_client.manager import start_new_kernel


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def plain(data):
    """A display bundle with ANSI colour codes removed from its text (saved notebooks hold none)."""
    return {k: ANSI.sub("", v) if k == "text/plain" and isinstance(v, str) else v for k, v in data.items()}


def output_from(msg):
    t, c = msg["msg_type"], msg["content"]
    if t == "stream":
        return nbformat.v4.new_output("stream", name=c["name"], text=ANSI.sub("", c["text"]))
    if t in ("display_data", "update_display_data"):
        return nbformat.v4.new_output("display_data", data=plain(c["data"]), metadata=c.get("metadata", {}))
    if t == "execute_result":
        return nbformat.v4.new_output("execute_result", data=plain(c["data"]), metadata=c.get("metadata", {}),
                                      execution_count=c.get("execution_count"))
    if t == "error":
        return nbformat.v4.new_output("error", ename=c["ename"], evalue=c["evalue"], traceback=c["traceback"])
    return None


def run_cell(kc, source, timeout, grace):
    msg_id = kc.execute(source, store_history=True, allow_stdin=False)
    outputs, display_index = [], {}
    idle = replied = False
    status, count, last = "ok", None, time.monotonic()
    deadline = time.monotonic() + timeout
    while True:
        now = time.monotonic()
        if now > deadline:
            return outputs, count, "timeout"
        if idle and replied and now - last > grace:
            return outputs, count, status
        try:
            msg = kc.get_iopub_msg(timeout=0.05)
        except queue.Empty:
            msg = None
        if msg is not None and msg["parent_header"].get("msg_id") == msg_id:
            last = time.monotonic()
            t = msg["msg_type"]
            if t == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif t == "execute_input":
                count = msg["content"].get("execution_count")
            elif t == "clear_output":
                outputs.clear()
            else:
                out = output_from(msg)
                if out is not None:
                    did = msg["content"].get("transient", {}).get("display_id")
                    if t == "update_display_data" and did in display_index:
                        outputs[display_index[did]] = out
                    elif t != "update_display_data":
                        if did:
                            display_index[did] = len(outputs)
                        outputs.append(out)
                    if t == "error":
                        status = "error"
        if not replied:
            try:
                reply = kc.get_shell_msg(timeout=0.01)
                if reply["parent_header"].get("msg_id") == msg_id:
                    replied = True
                    last = time.monotonic()
                    if reply["content"].get("status") == "error":
                        status = "error"
                        c = reply["content"]
                        if not any(o.get("output_type") == "error" for o in outputs):
                            outputs.append(nbformat.v4.new_output(
                                "error", ename=c.get("ename", "Error"), evalue=c.get("evalue", ""),
                                traceback=c.get("traceback", [])))
            except queue.Empty:
                pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--grace", type=float, default=0.5)
    ap.add_argument("--cwd", default=None)
    a = ap.parse_args()
    nb = nbformat.read(a.notebook, as_version=4)
    km, kc = start_new_kernel(kernel_name="deno", cwd=a.cwd)
    failed = None
    try:
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            t0 = time.monotonic()
            outputs, count, status = run_cell(kc, cell.source, a.timeout, a.grace)
            # a progress line blanked when its work was done leaves nothing to save
            outputs = [o for o in outputs if o.get("data") != {"text/plain": ""}]
            cell.outputs, cell.execution_count = outputs, count
            print(f"  cell {i + 1}/{len(nb.cells)}: {status} ({time.monotonic() - t0:.1f} s, {len(outputs)} outputs)",
                  flush=True)
            if status != "ok":
                failed = f"{a.notebook}: cell {i + 1} {status}"
                for o in outputs:
                    if o.get("output_type") == "error":
                        failed += f": {o['ename']}: {o['evalue']}"
                for later in nb.cells[i + 1:]:
                    if later.cell_type == "code":
                        later.outputs, later.execution_count = [], None
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    nbformat.write(nb, a.out)
    if failed:
        print(failed, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
