// Loads the "Beyond scaling" view's module (crates/beyond) once and mounts it (src/components/beyond.rs).
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

// The view is another wasm module with its own yew, which numbers its trees, elements and
// listeners as the app's yew does. Both listen on their roots in the capture phase, the app's
// first: left alone, the app's yew would take an event inside the view for one of its own and
// run whichever app handler has the same number (a click in the view toggled the theme). yew
// reads which tree an event belongs to from the event when it has been worked out already
// (__yew_subtree_id, valid while __yew_subtree_cache_key is the length of the event's path):
// an event inside the view is marked as nobody's (tree 0) before the app's yew sees it, and the
// mark is taken off at the view's host, so that the view's yew finds its own tree.
const TYPES = ['click', 'dblclick', 'auxclick', 'contextmenu', 'input', 'change', 'submit', 'reset',
  'invalid', 'select', 'toggle', 'beforeinput', 'keydown', 'keyup', 'keypress', 'focus', 'blur',
  'focusin', 'focusout', 'mousedown', 'mouseup', 'mousemove', 'mouseover', 'mouseout', 'mouseenter',
  'mouseleave', 'pointerdown', 'pointerup', 'pointermove', 'pointerover', 'pointerout',
  'pointerenter', 'pointerleave', 'pointercancel', 'wheel', 'scroll', 'touchstart', 'touchend',
  'touchmove', 'touchcancel', 'dragstart', 'drag', 'dragend', 'dragenter', 'dragover', 'dragleave',
  'drop', 'compositionstart', 'compositionend', 'animationend', 'transitionend', 'load', 'error'];
const hosts = new Set();
const mark = (e) => {
  if (!hosts.size) return;
  const path = e.composedPath();
  if ([...hosts].some((h) => path.includes(h))) {
    e.__yew_subtree_id = 0;
    e.__yew_subtree_cache_key = path.length;
  }
};
const unmark = (e) => {
  delete e.__yew_subtree_id;
  delete e.__yew_subtree_cache_key;
};
for (const t of TYPES) window.addEventListener(t, mark, true);

export function mount_beyond(m, host, onClose) {
  const inner = document.createElement('div');
  inner.style.display = 'contents';
  host.append(inner);
  for (const t of TYPES) host.addEventListener(t, unmark, true);
  hosts.add(host);
  const handle = m.mount_beyond(inner, onClose);
  return { handle, host, inner };
}
export function unmount_beyond(h) {
  h.handle.unmount();
  h.handle.free();
  hosts.delete(h.host);
  for (const t of TYPES) h.host.removeEventListener(t, unmark, true);
  h.inner.remove();
}
