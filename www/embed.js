// Lambdascape's embeddable widget: one module script, then any number of
//   <lambdascape-widget scenario="presets/mixed-subnets" view="topology" autoplay></lambdascape-widget>
// Attributes: scenario (a preset of the scenarios/ folder next to this file, "presets/<name>",
// or a URL to a scenario JSON file; or an inline <script type="application/json"> child),
// view (topology | chart | timeline | full | compare: the scenario's variants side by side, at their end |
// sizing: a sweep of the `sweep` attribute, e.g. sweep="--vary provisioned=0..100:10 --seeds 3"), chart (concurrency, throttles, cold-starts, cost,
// ...), autoplay, speed (e.g. 10 or 10x), start (e.g. 2m), controls (none | minimal | full),
// theme (light | dark | auto), height (e.g. 420, 60vh). Changing an attribute updates the widget.
//
// The wasm (lambdascape-embed_bg.wasm, next to this file, found through import.meta.url) is
// fetched and compiled once per page; each widget has its own simulation and is drawn by the
// wasm into its own shadow root with the widget stylesheet adopted there (the page's CSS does
// not reach inside, the widget's does not leak out). A widget plays only while on screen, never
// autoplays under prefers-reduced-motion, and follows the page's colour scheme (theme="auto").
// A bad attribute or scenario shows an error box in that widget only.
// A sizing widget is drawn by the sizing module (lambdascape-sizing.js/.wasm, also next to this
// file), fetched only when one is on the page; its sweep runs in Web Workers once on screen.

const BASE = new URL('./', import.meta.url);
const ATTRS = ['scenario', 'view', 'chart', 'autoplay', 'speed', 'start', 'controls', 'theme', 'height', 'sweep'];
const darkQuery = matchMedia('(prefers-color-scheme: dark)');
const motionQuery = matchMedia('(prefers-reduced-motion: reduce)');
const widgets = new Set();

/** Fetches, compiles and starts the wasm `name` once; resolves to { m: its exports, sheet: its
 * stylesheet (`css` names the export) }. */
async function start(name, css) {
  const m = await import(new URL(`${name}.js`, BASE).href);
  await m.default({ module_or_path: new URL(`${name}_bg.wasm`, BASE) });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(m[css]());
  return { m, sheet };
}

let runtime, sizing;
function loadRuntime() {
  return (runtime ??= start('lambdascape-embed', 'widget_css').then((rt) => {
    // A bug that crashes one widget takes out that widget only (crates/embed/src/crash.rs).
    rt.m.set_crash_handler((id, message) => {
      for (const w of widgets) w.crashed(id, message);
    });
    return rt;
  }));
}

/** Whether the page shows a dark colour scheme: its own switch if it has one (data-theme,
 * a "dark" class, color-scheme on <html>), else the reader's preference. */
function pageDark() {
  const root = document.documentElement;
  const t = root.getAttribute('data-theme') || root.getAttribute('data-bs-theme') || root.getAttribute('data-color-scheme');
  if (t === 'dark' || root.classList.contains('dark')) return true;
  if (t === 'light' || root.classList.contains('light')) return false;
  const cs = getComputedStyle(root).colorScheme.trim();
  if (cs === 'dark' || cs === 'only dark') return true;
  if (cs === 'light' || cs === 'only light') return false;
  return darkQuery.matches;
}

function refreshAll() {
  for (const w of widgets) w.refreshOptions();
}
darkQuery.addEventListener('change', refreshAll);
motionQuery.addEventListener('change', refreshAll);
new MutationObserver(refreshAll).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'data-theme', 'data-bs-theme', 'data-color-scheme', 'style'] });

const visibility = new IntersectionObserver((entries) => {
  for (const e of entries) e.target.setVisible(e.isIntersecting);
});
// A widget laid out anew (the page resized) draws again at its new size, even when paused.
const resizing = new ResizeObserver((entries) => {
  for (const e of entries) e.target.resized();
});

// One animation-frame loop for all widgets, running while one of them is playing or has
// something to draw.
let looping = false;
let last = 0;
function frame(t) {
  const dt = last ? t - last : 0;
  last = t;
  let more = false;
  for (const w of widgets) more = w.frame(dt) || more;
  looping = more;
  if (more) requestAnimationFrame(frame);
}
function wake() {
  if (looping) return;
  looping = true;
  last = 0;
  requestAnimationFrame(frame);
}

/** Where a scenario attribute points: presets by name, anything else as a URL. */
function resolve(attr) {
  const preset = /^(?:presets\/)?([A-Za-z0-9_-]+)$/.exec(attr)?.[1];
  return preset
    ? { preset, url: new URL(`scenarios/${preset}.json`, BASE) }
    : { preset: null, url: new URL(attr, document.baseURI) };
}

class LambdascapeWidget extends HTMLElement {
  static observedAttributes = ATTRS;
  #mount = null;
  #handle = null;
  #id = 0; // the handle's id, kept here: a crash report must not call back into the wasm
  #visible = false;
  #generation = 0;

  connectedCallback() {
    if (!this.shadowRoot) {
      const root = this.attachShadow({ mode: 'open' });
      const m = (this.#mount = document.createElement('div'));
      root.append(m);
      // The widget's controls and pictures, by delegation: buttons and sliders name what they
      // do (data-act), a click elsewhere on the topology selects what is there, the mouse over
      // a chart reads its values.
      m.addEventListener('click', (e) => {
        const act = e.target.closest('[data-act]');
        const topo = e.target.closest('.topology');
        if (act && act.type !== 'range') this.#call((h) => h.act(act.dataset.act, Number(act.dataset.value ?? 0)));
        else if (topo) {
          const r = topo.getBoundingClientRect();
          this.#call((h) => h.click(e.target, e.clientX - r.left + topo.scrollLeft, e.clientY - r.top + topo.scrollTop));
        }
      });
      m.addEventListener('input', (e) => {
        const t = e.target;
        if (t.dataset.act) this.#call((h) => h.act(t.dataset.act, Number(t.value)));
      });
      m.addEventListener('pointermove', (e) => {
        const c = e.target.closest('.chart-canvas');
        this.#call((h) => h.hover(c ? Number(c.dataset.index) : -1, c ? e.clientX - c.getBoundingClientRect().left : 0));
      });
      m.addEventListener('pointerleave', () => this.#call((h) => h.hover(-1, 0)));
    }
    widgets.add(this);
    visibility.observe(this);
    resizing.observe(this);
    this.#load();
  }

  disconnectedCallback() {
    widgets.delete(this);
    visibility.unobserve(this);
    resizing.unobserve(this);
    this.#generation++;
    this.#unmount();
  }

  attributeChangedCallback(name, old, value) {
    if (!this.isConnected || !this.#mount || old === value) return;
    if (name === 'scenario' || name === 'sweep' || [old, value].includes('sizing')) this.#load();
    else this.refreshOptions();
  }

  /** Re-reads the attributes and the page's colour scheme. */
  refreshOptions() {
    this.#call((h) => h.set_options(this.#options()));
  }

  /** Calls the widget's wasm, then draws on the next frames. A crash (a bug) is reported
   * through the crash handler; the exception stops here. */
  #call(f) {
    if (!this.#handle) return;
    try {
      f(this.#handle);
    } catch (e) {
      if (this.#handle) console.error(e);
    }
    wake();
  }

  /** One animation frame: whether this widget wants the next one. */
  frame(dt) {
    if (!this.#handle) return false;
    try {
      return this.#handle.tick(dt);
    } catch (e) {
      if (this.#handle) console.error(e);
      return false;
    }
  }

  /** The wasm reports a crash (a bug) in widget `id`: if it is this one, it is replaced by a
   * message and never called again (its state may be half-updated); the others play on. */
  crashed(id, message) {
    if (!this.#handle || this.#id !== id) return;
    this.#handle = null; // not freed: that would run code of the crashed widget
    this.#generation++;
    this.#fatal(`This widget stopped after an internal error in Lambdascape; the rest of the page is not affected. Reload the page to start it again.\n\n${message}`);
  }

  /** For the end-to-end tests: the widget's next action crashes. */
  failNextActionForTests() {
    this.#call((h) => h.fail_next_action_for_tests());
  }

  /** Called by the ResizeObserver. */
  resized() {
    this.#call((h) => h.redraw());
  }

  /** Called by the IntersectionObserver: plays only on screen. */
  setVisible(visible) {
    this.#visible = visible;
    this.#call((h) => h.set_visible(visible));
  }

  #options() {
    const o = { page_dark: pageDark(), reduced_motion: motionQuery.matches };
    for (const a of ATTRS) o[a] = this.getAttribute(a) ?? undefined;
    return o;
  }

  #unmount() {
    if (this.#handle) {
      this.#handle.free();
      this.#handle = null;
      this.#mount.replaceChildren();
    }
  }

  /** The scenario's JSON text, or why there is none. */
  async #source() {
    const attr = this.getAttribute('scenario')?.trim();
    if (!attr) {
      const inline = this.querySelector('script[type="application/json"]');
      if (inline) return { name: 'inline', text: inline.textContent };
      return { name: '(none)', error: 'no scenario: set scenario="presets/<name>" or scenario="<URL of a scenario JSON file>", or put the scenario JSON in a <script type="application/json"> child' };
    }
    const { preset, url } = resolve(attr);
    try {
      const r = await fetch(url);
      if (r.ok) return { name: attr, text: await r.text() };
      const what = r.status === 404 ? 'not found (404)' : `could not be loaded (HTTP ${r.status})`;
      return { name: attr, preset, error: `scenario '${attr}' ${what}\nlooked for ${url.href}${preset ? '\npresets are the JSON files in the scenarios/ folder next to embed.js' : ''}` };
    } catch (e) {
      return { name: attr, preset, error: `scenario '${attr}' could not be fetched from ${url.href}: ${e.message || e}` };
    }
  }

  async #load() {
    const generation = ++this.#generation;
    const sz = this.getAttribute('view')?.trim() === 'sizing';
    let rt, src, s;
    try {
      [rt, src, s] = await Promise.all([loadRuntime(), this.#source(), sz && (sizing ??= start('lambdascape-sizing', 'sizing_css'))]);
    } catch (e) {
      if (generation === this.#generation) this.#fatal(`the Lambdascape widget could not start: ${e.message || e} (looked for lambdascape-${sz ? 'sizing' : 'embed'}.js and its _bg.wasm in ${BASE.href})`);
      return;
    }
    if (generation !== this.#generation) return; // replaced or removed meanwhile
    this.shadowRoot.adoptedStyleSheets = s ? [rt.sheet, s.sheet] : [rt.sheet];
    this.#unmount();
    this.#mount.replaceChildren();
    this.#handle = (s || rt).m[s ? 'mount_sizing_widget' : 'mount_widget'](this.#mount, src.name, src.text, src.error, this.#options());
    this.#id = this.#handle.id();
    this.#call((h) => h.set_visible(this.#visible));
  }

  /** The wasm itself failed: a plain error box, styled inline (the widget CSS is in the wasm). */
  #fatal(message) {
    const box = document.createElement('pre');
    box.setAttribute('role', 'alert');
    box.setAttribute('data-testid', 'widget-error');
    box.style.cssText = 'all:initial;display:block;white-space:pre-wrap;font:14px/1.4 monospace;color:#7A2E00;background:#FDE6DA;border:2px solid #D55E00;border-radius:8px;padding:10px 14px';
    box.textContent = message;
    this.#mount.replaceChildren(box);
  }
}

if (!customElements.get('lambdascape-widget')) customElements.define('lambdascape-widget', LambdascapeWidget);
