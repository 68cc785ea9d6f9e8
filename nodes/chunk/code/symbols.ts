import type Parser from 'web-tree-sitter';
import type { Span } from '../shared/segments.js';
import type { LanguageSpec, SymbolKind } from './languages.js';

type SyntaxNode = Parser.SyntaxNode;

/** A definition in the source, copied out of the syntax tree. */
export interface CodeSymbol extends Span {
  name: string;
  kind: SymbolKind;
  /** The type a Go method is declared on (`func (t *T) Inc()` → T); nesting gives the others. */
  receiver?: string;
  /** Definitions inside its body: methods of a class, functions of a namespace, nested functions. */
  children: CodeSymbol[];
}

/** Kinds whose functions are methods. */
const typeKinds = new Set<SymbolKind>(['class', 'struct', 'interface', 'trait', 'impl', 'enum']);
const functionValues = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const classValues = new Set(['class', 'class_expression']);
/** Declarator node types that end the C/C++ declarator chain and name the function or type. */
const declaratorNames = new Set(['identifier', 'field_identifier', 'type_identifier', 'qualified_identifier', 'destructor_name', 'operator_name', 'primitive_type']);

interface Definition {
  /** The defining node itself (inside any wrapper). */
  node: SyntaxNode;
  kind: SymbolKind;
  name: string;
  receiver?: string;
}

/** `(t *T)` → T, `(l List[E])` → List. */
function goReceiver(node: SyntaxNode): string | undefined {
  const type = node.childForFieldName('receiver')?.namedChildren[0]?.childForFieldName('type');
  return type?.text.replace(/^\*/, '').replace(/\[.*$/s, '');
}

/** The name a C or C++ declarator chain ends in: `*add(int a)` → add, `Foo::bar() const` → Foo::bar. */
function declaratorName(node: SyntaxNode): string | undefined {
  let declarator = node.childForFieldName('declarator');
  while (declarator !== null) {
    if (declaratorNames.has(declarator.type)) return declarator.text;
    declarator = declarator.childForFieldName('declarator');
  }
  return undefined;
}

function goTypeDefinition(node: SyntaxNode): Definition | undefined {
  const spec = node.namedChildren.find((child) => child.type === 'type_spec' || child.type === 'type_alias');
  const name = spec?.childForFieldName('name')?.text;
  if (spec === undefined || name === undefined) return undefined;
  const type = spec.childForFieldName('type')?.type;
  return { node, name, kind: type === 'struct_type' ? 'struct' : type === 'interface_type' ? 'interface' : 'type' };
}

/** `const f = () => …`, `export const C = class {…}`: the first declarator whose value is a function or class. */
function variableDefinition(node: SyntaxNode): Definition | undefined {
  for (const declarator of node.namedChildren.filter((child) => child.type === 'variable_declarator')) {
    const value = declarator.childForFieldName('value');
    const name = declarator.childForFieldName('name')?.text;
    if (value === null || name === undefined) continue;
    if (functionValues.has(value.type)) return { node, name, kind: 'function' };
    if (classValues.has(value.type)) return { node, name, kind: 'class' };
  }
  return undefined;
}

function definitionOf(node: SyntaxNode, spec: LanguageSpec): Definition | undefined {
  if (spec.wrappers.includes(node.type)) {
    const value = node.type === 'export_statement' ? node.childForFieldName('value') : null; // export default function () {}
    if (value !== null && functionValues.has(value.type)) return { node: value, kind: 'function', name: 'default' };
    if (value !== null && classValues.has(value.type)) return { node: value, kind: 'class', name: 'default' };
    for (const child of node.namedChildren) {
      const inner = definitionOf(child, spec);
      if (inner) return inner;
    }
    return undefined;
  }
  if (spec.variableFunctions && (node.type === 'lexical_declaration' || node.type === 'variable_declaration')) return variableDefinition(node);
  if (node.type === 'type_declaration') return goTypeDefinition(node);
  const kind = spec.definitions[node.type];
  if (kind === undefined) return undefined;
  // a struct, union or enum without a body is a use (`struct point p;`), not a definition
  if (spec.needsBody?.includes(node.type) && node.childForFieldName('body') === null) return undefined;
  if (node.type === 'impl_item') {
    const type = node.childForFieldName('type')?.text ?? '';
    const trait = node.childForFieldName('trait')?.text;
    return { node, kind, name: trait ? `${trait} for ${type}` : type };
  }
  if (node.type === 'method_declaration' && spec.grammar === 'go') {
    const receiver = goReceiver(node);
    return { node, kind, name: node.childForFieldName('name')?.text ?? '(anonymous)', ...(receiver ? { receiver } : {}) };
  }
  const name = node.childForFieldName('name')?.text ?? declaratorName(node) ?? '(anonymous)';
  return { node, kind, name };
}

/** Only spaces and tabs, with at most one line break: a comment directly above, no blank line between. */
const adjacentGap = /^[^\S\n]*\r?\n?[^\S\n]*$/;
/** A comment that starts its own line (not one trailing the code before it). */
function startsLine(text: string, node: SyntaxNode): boolean {
  const lineStart = text.lastIndexOf('\n', node.startIndex - 1) + 1;
  return /^\s*$/.test(text.slice(lineStart, node.startIndex));
}

/**
 * The definitions among `parent`'s children, each spanning its leading comments and attributes and
 * a `;` right after it, with the definitions inside its body. Transparent children (`#ifdef`) and
 * other code longer than `size` (an IIFE or a callback around a whole module) are searched too.
 */
export function collectSymbols(text: string, parent: SyntaxNode, spec: LanguageSpec, size: number, parentKind?: SymbolKind): CodeSymbol[] {
  const symbols: CodeSymbol[] = [];
  const children = parent.namedChildren;
  children.forEach((child, index) => {
    const definition = spec.transparent.includes(child.type) ? undefined : definitionOf(child, spec);
    if (definition === undefined) {
      if (spec.transparent.includes(child.type) || child.endIndex - child.startIndex > size) {
        symbols.push(...collectSymbols(text, child, spec, size, parentKind));
      }
      return;
    }
    let start = child.startIndex;
    for (let previous = index - 1; previous >= 0; previous--) {
      const sibling = children[previous]!;
      if (!spec.leading.includes(sibling.type) || !adjacentGap.test(text.slice(sibling.endIndex, start)) || !startsLine(text, sibling)) break;
      if (symbols.length > 0 && sibling.startIndex < symbols.at(-1)!.end) break;
      start = sibling.startIndex;
    }
    let end = child.endIndex;
    const next = child.nextSibling;
    if (next !== null && next.type === ';' && next.startIndex === end) end = next.endIndex;
    const trailing = children[index + 1];
    if (trailing && spec.leading.includes(trailing.type) && /^[^\S\n]*$/.test(text.slice(end, trailing.startIndex))) end = trailing.endIndex; // `}  // namespace demo`
    const kind = definition.kind === 'function' && parentKind !== undefined && typeKinds.has(parentKind) ? 'method' : definition.kind;
    const body = definition.node.childForFieldName('body');
    const nested = body === null ? [] : collectSymbols(text, body, spec, size, kind);
    symbols.push({ name: definition.name, kind, start, end, ...(definition.receiver ? { receiver: definition.receiver } : {}), children: nested });
  });
  return symbols;
}
