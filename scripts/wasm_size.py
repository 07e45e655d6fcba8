#!/usr/bin/env python3
"""Where the bytes of a wasm module go: code size per crate and per Lambdascape module, and the
largest functions, read from the name section of the release build before wasm-bindgen and
wasm-opt (target/wasm32-unknown-unknown/web-release/<bin>.wasm, built by scripts/e2e.sh or
`trunk build --release`). Sizes are before optimisation: use them to compare, not as downloads
(scripts/e2e.sh prints the gzipped downloads).

usage: scripts/wasm_size.py [lambdascape-viewer|lambdascape|lambdascape-embed|lambdascape-beyond] [--top N]
"""
import collections
import os
import re
import sys


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def functions(path):
    """(size, name) of every function body."""
    data = open(path, 'rb').read()
    i, imports, bodies, names = 8, 0, [], {}
    while i < len(data):
        sid = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if sid == 2:  # imports: count the imported functions (they shift the indices)
            n, j = leb(data, i)
            for _ in range(n):
                for _ in range(2):
                    ln, j = leb(data, j)
                    j += ln
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imports += 1
                elif kind == 1:
                    j += 1
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 2:
                    flags, j = leb(data, j)
                    _, j = leb(data, j)
                    if flags & 1:
                        _, j = leb(data, j)
                elif kind == 3:
                    j += 2
        elif sid == 10:  # code
            n, j = leb(data, i)
            for _ in range(n):
                sz, j2 = leb(data, j)
                bodies.append(sz + (j2 - j))
                j = j2 + sz
        elif sid == 0:  # custom: the name section
            ln, j = leb(data, i)
            if data[j:j + ln] == b'name':
                j += ln
                while j < end:
                    sub = data[j]
                    ssz, j = leb(data, j + 1)
                    send = j + ssz
                    if sub == 1:
                        n, k = leb(data, j)
                        for _ in range(n):
                            idx, k = leb(data, k)
                            ln2, k = leb(data, k)
                            names[idx] = data[k:k + ln2].decode(errors='replace')
                            k += ln2
                    j = send
        i = end
    return [(sz, names.get(k + imports, '?')) for k, sz in enumerate(bodies)]


def category(name):
    """The crate (or Lambdascape module) a function belongs to: for trait impls
    (`<serde_json::de::Deserializer as serde::Deserializer>::...`) the first known crate named."""
    m = re.search(r'lambdascape_engine(?:\.\.|\d+)([a-z_]+)', name)
    if m:
        return 'engine::' + m.group(1)
    crates = {'lambdascape_ui': 'ui', 'lambdascape_embed': 'widget', 'lambdascape_beyond_engine': 'beyond_engine',
              'lambdascape_beyond': 'beyond', 'lambdascape': 'app'}
    m = re.search(r'(lambdascape(?:_ui|_embed|_beyond_engine|_beyond)?)(?:\.\.|\d+)([a-z_]+)', name)
    if m:
        return crates[m.group(1)] + '::' + m.group(2)
    for crate in ['serde_json', 'serde', 'yew', 'plotters', 'wasm_bindgen', 'js_sys', 'web_sys',
                  'hashbrown', 'rand', 'miniz_oxide', 'dlmalloc', 'compiler_builtins']:
        if re.search(r'(?<![a-z_])' + crate + r'(?:\.\.|\d)', name):
            return crate
    if re.search(r'core(?:\.\.|\d+)fmt', name):
        return 'core::fmt'
    if re.search(r'(?<![a-z_])alloc(?:\.\.|\d)', name):
        return 'alloc (collections, strings)'
    if re.search(r'(?<![a-z_])core(?:\.\.|\d)', name):
        return 'core (slices, sorting, iterators, floats)'
    return 'other'


def main():
    args = sys.argv[1:]
    top = 25
    if '--top' in args:
        k = args.index('--top')
        top = int(args[k + 1])
        del args[k:k + 2]
    binary = args[0] if args else 'lambdascape-viewer'
    target = os.environ.get('CARGO_TARGET_DIR', 'target')
    path = os.path.join(target, 'wasm32-unknown-unknown', 'web-release', binary + '.wasm')
    if not os.path.exists(path):
        sys.exit(f'{path} not found: build first (scripts/e2e.sh or trunk build --release)')
    # wasm-bindgen's describe functions are interpreted and removed from the download.
    funcs = [f for f in functions(path) if not f[1].startswith('__wbindgen_describe')]
    total = sum(s for s, _ in funcs)
    print(f'{binary}: {total:,} bytes of code in {len(funcs):,} functions (before wasm-opt)')
    by = collections.Counter()
    for s, n in funcs:
        by[category(n)] += s
    for c, s in by.most_common():
        print(f'{s:>10,}  {100 * s / total:5.1f}%  {c}')
    print(f'\nlargest {top} functions:')
    for s, n in sorted(funcs, reverse=True)[:top]:
        print(f'{s:>10,}  {n[:140]}')


if __name__ == '__main__':
    main()
