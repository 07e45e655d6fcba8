// The sizing panel's Web Workers (crates/sizing). This file is the wasm-bindgen snippet the
// panel calls to start, feed and stop them, and it is also each worker's script: a worker runs
// it as a module, which loads lambdascape-sizing.js and its wasm (three folders up from this
// snippet, snippets/<crate>/src/) and answers each message with `run_jobs`. Relative URLs only:
// the app may be served under any path.

const inWorker = typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;
if (inWorker && !globalThis.lsSizing) {
  globalThis.lsSizing = true;
  const at = (f) => new URL(`../../../${f}`, import.meta.url);
  // The module: the page's compiled one when it sends it (first message), so that a worker
  // neither fetches nor compiles it again and shares the page's optimised code; else fetched.
  // Not awaited at the top: the module imported here imports this one.
  let ready;
  const load = (wasm) => import(at('lambdascape-sizing.js').href).then(async (m) => {
    await m.default({ module_or_path: wasm ?? at('lambdascape-sizing_bg.wasm') });
    return m;
  });
  globalThis.onmessage = (e) => {
    const d = e.data;
    if (d.module) {
      ready ??= load(d.module);
      return;
    }
    ready ??= load();
    ready
      .then((m) => postMessage({ id: d.id, start: d.start, out: m.run_jobs(d.scenario, d.sweep, d.jobs) }))
      .catch((err) => postMessage({ id: d.id, start: d.start, error: String(err?.message ?? err) }));
  };
}

// Starts `n` workers on `module` (this module's compiled WebAssembly.Module); `cb(worker, id,
// start, out, error)` gets each answer (`out`: the runs' figures as JSON; `error`: why they
// failed, a worker that could not start included).
export function spawn_workers(n, cb, module) {
  const list = [];
  for (let i = 0; i < n; i++) {
    const w = new Worker(import.meta.url, { type: 'module' });
    if (module instanceof WebAssembly.Module) w.postMessage({ module });
    w.onmessage = (e) => cb(i, e.data.id, e.data.start, e.data.out, e.data.error);
    w.onerror = (e) => {
      e.preventDefault();
      cb(i, -1, 0, undefined, e.message || 'a worker could not start');
    };
    list.push(w);
  }
  return list;
}

export function post_jobs(list, i, id, start, scenario, sweep, jobs) {
  list[i].postMessage({ id, start, scenario, sweep, jobs });
}

export function stop_workers(list) {
  for (const w of list) w.terminate();
}

export function cores() {
  return navigator.hardwareConcurrency || 1;
}
