/**
 * Folded strings: what an expression evaluates to, as far as it can be known statically. Literal text is
 * kept; whatever cannot be known (a parameter, a call result) is a hole that remembers its source text.
 *
 * Adapters fold their language's expressions (template literals, f-strings, concatenation, format calls,
 * constants) into this one representation; URL matching reads only folded strings.
 */

export interface Hole {
  readonly hole: string; // source text of the unknown expression (for messages and fixes)
}

export type Piece = string | Hole;

/** A folded string: literal pieces and holes, adjacent literals merged, no empty literals. */
export type Folded = readonly Piece[];

export function isHole(p: Piece): p is Hole {
  return typeof p !== 'string';
}

export function lit(text: string): Folded {
  return text ? [text] : [];
}

export function hole(sourceText: string): Folded {
  return [{ hole: sourceText }];
}

export function concat(...parts: Folded[]): Folded {
  const out: Piece[] = [];
  for (const part of parts) {
    for (const p of part) {
      if (typeof p === 'string') {
        if (!p) continue;
        const last = out.length - 1;
        if (last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + p;
        else out.push(p);
      } else {
        out.push(p);
      }
    }
  }
  return out;
}

/** The literal text, or undefined when the folded string has a hole. */
export function literalText(f: Folded): string | undefined {
  if (f.some(isHole)) return undefined;
  return f.join('');
}

export function hasHole(f: Folded): boolean {
  return f.some(isHole);
}

/** Renders a folded string for display: holes as `{expr}`. */
export function render(f: Folded): string {
  return f.map((p) => (typeof p === 'string' ? p : `{${p.hole}}`)).join('');
}

/** Joins folded values with a literal separator (`[a, b].join('/')`, `path.join`). */
export function join(parts: Folded[], sep: string): Folded {
  const out: Folded[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(lit(sep));
    out.push(p);
  });
  return concat(...out);
}

/**
 * Replaces placeholders found in the literal pieces of `template`. `match` is a global sticky-free regex
 * whose match is replaced by `replace(match)`; a replacement of `undefined` keeps the text.
 */
function substitute(
  template: Folded,
  pattern: RegExp,
  replace: (m: RegExpExecArray) => Folded | undefined,
): Folded {
  const out: Folded[] = [];
  for (const piece of template) {
    if (typeof piece !== 'string') {
      out.push([piece]);
      continue;
    }
    pattern.lastIndex = 0;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(piece)) !== null) {
      if (m[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      const r = replace(m);
      if (r === undefined) continue;
      out.push(lit(piece.slice(last, m.index)), r);
      last = m.index + m[0].length;
    }
    out.push(lit(piece.slice(last)));
  }
  return concat(...out);
}

function argOrHole(args: readonly Folded[], i: number, placeholder: string): Folded {
  return i >= 0 && i < args.length ? args[i] : hole(placeholder);
}

/** .NET composite format (`string.Format`, PowerShell `-f`): `{0}`, `{1:D}`, `{{` and `}}`. */
export function formatIndexed(template: Folded, args: readonly Folded[]): Folded {
  return substitute(template, /\{\{|\}\}|\{(\d+)(?:,[^{}:]*)?(?::[^{}]*)?\}/g, (m) => {
    if (m[0] === '{{') return lit('{');
    if (m[0] === '}}') return lit('}');
    return argOrHole(args, Number(m[1]), m[0]);
  });
}

/** printf style (Java `String.format`, Go `fmt.Sprintf`, Python `%`, Node `util.format`). */
export function formatPrintf(template: Folded, args: readonly Folded[] | ReadonlyMap<string, Folded>): Folded {
  let next = 0;
  return substitute(
    template,
    /%%|%(?:\(([A-Za-z_]\w{0,60})\))?(?:([1-9]\d{0,2})\$)?[-#+ ,(]{0,6}0?(?:[1-9]\d{0,3}|\*)?(?:\.\d{1,4})?[sdvqxXfgeoicbTtrauhHnSp]/g,
    (m) => {
      if (m[0] === '%%') return lit('%');
      if (!Array.isArray(args)) {
        const named = args as ReadonlyMap<string, Folded>;
        return m[1] !== undefined ? named.get(m[1]) ?? hole(m[0]) : hole(m[0]);
      }
      const list = args as readonly Folded[];
      const index = m[2] !== undefined ? Number(m[2]) - 1 : next++;
      return argOrHole(list, index, m[0]);
    },
  );
}

/** Python `str.format`: `{}`, `{0}`, `{name}`, `{name!r:>10}`, `{{`/`}}`. */
export function formatBraces(
  template: Folded,
  positional: readonly Folded[],
  named: ReadonlyMap<string, Folded>,
): Folded {
  let next = 0;
  return substitute(template, /\{\{|\}\}|\{([A-Za-z_]\w*|\d*)(?:[.[][^{}!:]*)?(?:![rsa])?(?::[^{}]*)?\}/g, (m) => {
    if (m[0] === '{{') return lit('{');
    if (m[0] === '}}') return lit('}');
    const key = m[1];
    if (key === '') return argOrHole(positional, next++, m[0]);
    if (/^\d+$/.test(key)) return argOrHole(positional, Number(key), m[0]);
    return named.get(key) ?? hole(m[0]);
  });
}

/** `base.rstrip("/")`, `Base.TrimEnd('/')`: the trailing slashes of the last literal piece removed. */
export function trimTrailingSlash(f: Folded): Folded {
  const last = f[f.length - 1];
  if (typeof last !== 'string' || !last.endsWith('/')) return f;
  let end = last.length;
  while (end > 0 && last[end - 1] === '/') end--;
  return [...f.slice(0, -1), ...(end > 0 ? [last.slice(0, end)] : [])];
}
