// The sizing panel's place in the full app (src/components/sizing.rs): opened and closed by the
// header's button, laid over the simulation's place (<html data-sizing>, tools.css), with its
// module (crates/sizing) fetched the first time and mounted inside. Plain DOM: no yew state,
// so that the app's download gains little. The module has no yew either: nothing to keep apart
// from the app's event handling (unlike beyond.js).
let loading, open, sweep, pending;

function load() {
  loading ??= (async () => {
    const base = new URL('./', document.baseURI);
    const m = await import(new URL('lambdascape-sizing.js', base).href);
    await m.default({ module_or_path: new URL('lambdascape-sizing_bg.wasm', base) });
    return m;
  })().catch((e) => { loading = undefined; throw e; });
  return loading;
}

// A share link's sweep (JSON text) to open the panel on and run at once; null: the link has
// none, and a panel open on the work before it closes. The panel opens through its button once
// the app has rendered the link's scenario (the button hands the panel the scenario in force):
// at the button's next render (`open_pending`), or at once when the link's scenario is the one
// shown (`now`: nothing will render).
export function sizing_from_link(linked, now) {
  if (linked == null) return close();
  pending = linked;
  if (now) setTimeout(open_pending);
}

// Opens the panel on a link's sweep, if one waits.
export function open_pending() {
  if (pending == null) return;
  close();
  document.querySelector('[data-testid="sizing-button"]')?.click();
}

// The sweep the open panel shows, for a share link (undefined when it is closed).
export function current_sweep() {
  return open ? sweep : undefined;
}

// The pointer or focus on the header's button: fetch the module ahead of the click.
export function warm_sizing() {
  load().catch(() => {});
}

// `scenario`: the scenario's text (undefined without a valid scenario); `onLoad(text)`: a
// point's scenario to play. The last sweep run is shown again at the next opening.
export function toggle_sizing(button, scenario, onLoad) {
  if (open) return close();
  document.querySelector('[data-testid="beyond-button"][aria-pressed="true"]')?.click();
  const section = document.createElement('section');
  section.className = 'sizing';
  section.setAttribute('data-testid', 'sizing-view');
  section.setAttribute('aria-labelledby', 'sizing-title');
  section.innerHTML = '<button class="tool-button sz-close" data-testid="sizing-close">← Back to the simulation</button>'
    + '<p class="sz-loading" role="status">Loading the sizing panel…</p><div class="sz-mount"></div>';
  const [back, status, mount] = section.children;
  back.onclick = close;
  section.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.stopPropagation(); close(); }
  });
  document.querySelector('.app').append(section);
  document.documentElement.setAttribute('data-sizing', 'open');
  button.setAttribute('aria-pressed', 'true');
  const me = open = { section, button };
  (async () => {
    const text = scenario;
    const runNow = pending != null;
    if (runNow) [sweep, pending] = [pending, undefined];
    if (text == null) throw new Error('there is no scenario to size');
    const m = await load();
    if (open !== me) return;
    status.remove();
    // Called from the panel's own listeners: what they do waits for those to return.
    const picked = (json) => setTimeout(() => { onLoad(json); close(); });
    me.handle = m.mount_sizing(mount, text, sweep, runNow, picked, (s) => { sweep = s; });
  })().catch((e) => {
    status.className = 'sz-loading error';
    status.setAttribute('role', 'alert');
    status.textContent = `The sizing panel could not load: ${e?.message ?? e}`;
  });
}

function close() {
  const me = open;
  if (!me) return;
  open = undefined;
  me.handle?.unmount();
  me.handle?.free();
  me.section.remove();
  document.documentElement.removeAttribute('data-sizing');
  me.button.setAttribute('aria-pressed', 'false');
  me.button.focus();
}
