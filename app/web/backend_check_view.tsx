/**
 * The "Backend check" view: starts a tfjs backend in a worker, runs the smoke test and
 * shows what ran where. It runs once when the view is first shown.
 *
 * @module
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type { BackendRequest } from "../../lib/runtime/backend.ts";
import { ResultView } from "./result_view.tsx";
import { describeError, runSmokeTestInWorker, type SmokeRun } from "./worker_client.ts";

/**
 * The choices offered. Written out rather than imported from lib/runtime/backend.ts: a
 * value import from there would pull all of tfjs into the page bundle, and tfjs only
 * belongs in the workers' bundles.
 */
const _BACKEND_CHOICES: readonly BackendRequest[] = ["webgpu", "auto", "wasm", "cpu"];

type _State =
  | { kind: "running"; backend: BackendRequest }
  | { kind: "done"; run: SmokeRun }
  | { kind: "error"; backend: BackendRequest; message: string };

/** The backend asked for on load: `?backend=wasm` in the address overrides the default. */
function _initialBackend(): BackendRequest {
  const asked = new URLSearchParams(location.search).get("backend");
  return _BACKEND_CHOICES.includes(asked as BackendRequest) ? asked as BackendRequest : "webgpu";
}

/** Backend picker, run button, status line and results. */
export function BackendCheckView() {
  const [backend, setBackend] = useState<BackendRequest>(_initialBackend);
  const [state, setState] = useState<_State>({ kind: "running", backend });

  const start = useCallback((chosen: BackendRequest) => {
    setState({ kind: "running", backend: chosen });
    runSmokeTestInWorker(chosen).then(
      (run) => setState({ kind: "done", run }),
      (error) =>
        setState({ kind: "error", backend: chosen, message: describeError(error, chosen) }),
    );
  }, []);

  useEffect(() => start(backend), []);

  const running = state.kind === "running";
  return (
    <section>
      <h2>Backend check</h2>
      <p class="lead">
        Starts TensorFlow.js in a Web Worker and runs a small computation (a 64x64 matrix product, a
        convolution and its gradients). Nothing leaves this machine.
      </p>
      <form
        class="controls"
        onSubmit={(event) => {
          event.preventDefault();
          start(backend);
        }}
      >
        <label for="backend-select">Backend</label>
        <select
          id="backend-select"
          data-testid="backend-select"
          value={backend}
          disabled={running}
          onChange={(event) => setBackend(event.currentTarget.value as BackendRequest)}
        >
          {_BACKEND_CHOICES.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
        <button type="submit" data-testid="run" disabled={running}>Run</button>
      </form>
      <p class={`status ${state.kind}`} data-testid="status" data-state={state.kind}>
        {state.kind === "running" && `Running on ${state.backend}...`}
        {state.kind === "done" && "Done."}
        {state.kind === "error" && `Failed on ${state.backend}:`}
      </p>
      {state.kind === "error" && <p class="error" data-testid="error">{state.message}</p>}
      {state.kind === "done" && <ResultView run={state.run} />}
    </section>
  );
}
