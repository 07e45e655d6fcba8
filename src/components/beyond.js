// Loads the "Beyond scaling" view's module (src/beyond/) once and mounts it (src/components/beyond.rs).
let loading;
export function load_beyond() {
  loading ??= (async () => {
    const base = new URL('./', document.baseURI);
    const m = await import(new URL('lambdascape-beyond.js', base).href);
    await m.default({ module_or_path: new URL('lambdascape-beyond_bg.wasm', base) });
    return m;
  })().catch((e) => { loading = undefined; throw e; });
  return loading;
}
export function mount_beyond(m, host, onClose) { return m.mount_beyond(host, onClose); }
export function unmount_beyond(h) { h.unmount(); h.free(); }
