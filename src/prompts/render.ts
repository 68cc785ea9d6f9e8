import Mustache from 'mustache';

export interface RenderedTemplate {
  text: string;
  /** Variables the template names that the view does not have (rendered as empty). */
  missing: string[];
}

/** Prompts are not HTML: strings go in as written, other values as JSON rather than "[object Object]". */
function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

/** A writer per render: it remembers which variables were empty, and nothing is shared between calls. */
class TrackingWriter extends Mustache.Writer {
  readonly missing = new Set<string>();

  override escapedValue(token: string[], context: Mustache.Context): string {
    return this.lookupValue(token, context);
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    return this.lookupValue(token, context);
  }

  private lookupValue(token: string[], context: Mustache.Context): string {
    const name = token[1]!;
    const value: unknown = context.lookup(name);
    if (value === null || value === undefined) {
      this.missing.add(name);
      return '';
    }
    return formatValue(value);
  }
}

/**
 * Renders a mustache template without HTML escaping. Missing variables are reported, not silent;
 * sections (`{{#context}}…{{/context}}`) over an absent value are ordinary conditionals and are not.
 */
export function renderTemplate(template: string, view: Record<string, unknown>): RenderedTemplate {
  const writer = new TrackingWriter();
  const text = writer.render(template, view);
  return { text, missing: [...writer.missing] };
}

/** The syntax error of a template (an unclosed section, a bad tag), or undefined when it parses. */
export function templateSyntaxError(template: string): string | undefined {
  try {
    new Mustache.Writer().parse(template);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Top-level names a template reads (variables and sections, not names inside a `{{#section}}`, which
 * may belong to its items), e.g. to check a prompt's template against its declared arguments.
 */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  const walk = (tokens: unknown[]): void => {
    for (const token of tokens as Array<[string, string, number, number, unknown?]>) {
      const [kind, name] = token;
      if (kind === 'name' || kind === '&' || kind === '#' || kind === '^') names.add(name.split('.')[0]!);
      if (kind === '^' && Array.isArray(token[4])) walk(token[4]);
    }
  };
  walk(new Mustache.Writer().parse(template) as unknown[]);
  names.delete('');
  return [...names];
}
