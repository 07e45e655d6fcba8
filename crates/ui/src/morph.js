// Brings an element's children in line with markup, changing only what differs: elements that
// stay keep their identity (CSS animations, hover and focus carry on). Elements marked
// data-keep (canvases drawn by the wasm) keep the attributes the markup does not name.
export function morph(host, html) {
  const t = document.createElement('template');
  t.innerHTML = html;
  patch(host, t.content);
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
      for (const { name } of [...x.attributes]) if (!y.hasAttribute(name)) x.removeAttribute(name);
    }
    for (const { name, value } of y.attributes) if (x.getAttribute(name) !== value) x.setAttribute(name, value);
    if (x.value !== undefined && y.hasAttribute('value') && x.value !== y.getAttribute('value') && x !== x.getRootNode().activeElement) x.value = y.getAttribute('value');
    patch(x, y);
  });
  while (a.childNodes.length > next.length) a.lastChild.remove();
}
