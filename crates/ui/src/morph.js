// Brings an element's children in line with markup, changing only what differs: elements that
// stay keep their identity (CSS animations, hover and focus carry on). Elements marked
// data-keep (canvases drawn by the wasm) keep the attributes the markup does not name.
// Markup names no style attribute (a strict Content Security Policy refuses them): an element's
// inline style is its data-css, set through the CSSOM by `css`.
export function morph(host, html) {
  const t = document.createElement('template');
  t.innerHTML = html;
  patch(host, t.content);
  css(host);
}

// Gives `root` and the elements in it the inline style their data-css names (where it changed).
export function css(root) {
  for (const el of [root, ...root.querySelectorAll('[data-css]')]) {
    if (el.$css !== el.dataset.css) el.style.cssText = el.$css = el.dataset.css;
  }
}

// From now on keeps the inline styles in `root` in line with their data-css (the app's yew
// components render data-css): a mutation observer sets them before the page is painted.
export function watch(root) {
  (root.$watch ||= new MutationObserver(() => css(root))).observe(root, { subtree: true, childList: true, attributeFilter: ['data-css'] });
  css(root);
}

function patch(a, b) {
  const next = [...b.childNodes];
  next.forEach((y, i) => {
    const x = a.childNodes[i];
    if (!x) return a.append(y);
    if (x.nodeName !== y.nodeName) return x.replaceWith(y);
    if (x.nodeType !== 1) {
      if (x.nodeValue !== y.nodeValue) x.nodeValue = y.nodeValue;
      return;
    }
    if (!x.hasAttribute('data-keep')) {
      // The style attribute is the CSSOM's (data-css): without data-css an element has none.
      for (const { name } of [...x.attributes]) if (name !== 'style' && !y.hasAttribute(name)) x.removeAttribute(name);
      if (x.$css && !y.hasAttribute('data-css')) x.style.cssText = x.$css = '';
    }
    for (const { name, value } of y.attributes) if (x.getAttribute(name) !== value) x.setAttribute(name, value);
    if (x.value !== undefined && y.hasAttribute('value') && x.value !== y.getAttribute('value') && x !== x.getRootNode().activeElement) x.value = y.getAttribute('value');
    patch(x, y);
  });
  while (a.childNodes.length > next.length) a.lastChild.remove();
}
