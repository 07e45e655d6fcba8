// Loads the full app (lambdascape-app.js) in place of the viewer (src/tools/loader.rs).
const base = () => new URL('./', document.baseURI);
let fetched; // the full app's JS module and compiled wasm, once asked for
let loading;

// Starts fetching and compiling the full app (when the pointer or focus reaches a tool), so
// that a click finds it ready. Nothing runs until `upgrade`.
export function prefetch() {
  if (!fetched) {
    fetched = (async () => {
      const m = await import(new URL('lambdascape-app.js', base()).href);
      const resp = await fetch(new URL('lambdascape-app_bg.wasm', base()));
      if (!resp.ok) throw new Error(`lambdascape-app_bg.wasm: HTTP ${resp.status}`);
      return { m, wasm: await WebAssembly.compile(await resp.arrayBuffer()) };
    })();
    // A failure is reported by the click that waits for it; the next try fetches again.
    fetched.catch(() => { fetched = undefined; });
  }
  return fetched;
}

// Hands over to the full app: `handover` (or null) is what it carries on from; `destroy`
// unmounts the viewer. The viewer stays as it was until the full app is compiled, and if that
// fails it says so and the next click tries again.
export function upgrade(handover, destroy) {
  if (loading) return;
  window.lambdascapeHandover = handover;
  document.documentElement.setAttribute('data-loading', 'full');
  loading = (async () => {
    const { m, wasm } = await prefetch();
    destroy();
    document.body.replaceChildren();
    await m.default({ module_or_path: wasm });
    window.wasmBindings = m;
    document.documentElement.removeAttribute('data-loading');
  })().catch((e) => {
    loading = undefined;
    document.documentElement.removeAttribute('data-loading');
    console.error('Lambdascape: the editing tools could not be loaded', e);
    const box = document.createElement('div');
    box.className = 'load-problem';
    box.setAttribute('role', 'alert');
    box.setAttribute('data-testid', 'load-problem');
    box.textContent = `The editing tools could not be loaded (${e}). Check the connection and try again. `;
    const close = document.createElement('button');
    close.textContent = 'Close';
    close.onclick = () => box.remove();
    box.append(close);
    document.body.append(box);
  });
}
