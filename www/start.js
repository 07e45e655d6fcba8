// Starts the app (index.html loads this module: a file, not an inline script, so that the page
// runs under a strict Content Security Policy). A share link (#s=...) opens in the full app;
// anything else starts with the viewer.
const share = location.hash.slice(1).split('&').some((kv) => kv.startsWith('s='));
const name = share ? 'lambdascape-app' : 'lambdascape-viewer';
try {
  const m = await import(`./${name}.js`);
  await m.default({ module_or_path: `./${name}_bg.wasm` });
  window.wasmBindings = m;
} catch (e) {
  console.error('Lambdascape could not start', e);
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.textContent = `Lambdascape could not start (${e}). Check the connection and reload the page.`;
  document.body.append(p);
}
