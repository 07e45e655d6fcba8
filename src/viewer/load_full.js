// Loads the full app (lambdascape.js) in place of the viewer (src/viewer/tools.rs).
let loading;
export function upgrade(handover, destroy) {
  if (loading) return;
  window.lambdascapeHandover = handover;
  document.documentElement.setAttribute('data-loading', 'full');
  const base = new URL('./', document.baseURI);
  loading = (async () => {
    const m = await import(new URL('lambdascape.js', base).href);
    const resp = await fetch(new URL('lambdascape_bg.wasm', base));
    if (!resp.ok) throw new Error(`lambdascape_bg.wasm: HTTP ${resp.status}`);
    // Compiled before the viewer goes, so that a failure leaves the viewer as it was.
    const wasm = await WebAssembly.compile(await resp.arrayBuffer());
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
