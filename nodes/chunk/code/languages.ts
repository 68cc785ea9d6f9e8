/** What a chunk holds: one definition, part of one, or code between definitions. */
export type SymbolKind =
  | 'function'
  | 'method'
  | 'class'
  | 'struct'
  | 'interface'
  | 'trait'
  | 'impl'
  | 'enum'
  | 'type'
  | 'namespace'
  | 'module'
  | 'code';

/** How one tree-sitter grammar marks definitions. */
export interface LanguageSpec {
  /** The grammar file in tree-sitter-wasms/out: `tree-sitter-<grammar>.wasm`. */
  grammar: string;
  extensions: readonly string[];
  /** Node types that define a symbol, and its kind. */
  definitions: Readonly<Record<string, SymbolKind>>;
  /** Node types that hold a definition and belong to its text: `export …`, decorators, `template <…>`. */
  wrappers: readonly string[];
  /** Node types looked through as if their children stood at their level: `#ifdef`, `extern "C" {}`. */
  transparent: readonly string[];
  /** Node types that stay with the definition right below them: comments, Rust `#[attributes]`. */
  leading: readonly string[];
  /** `const f = () => …` / `let C = class …` define a function or class (JavaScript, TypeScript). */
  variableFunctions?: boolean;
  /** Node types that define something only with a body: `struct point { … };` does, `struct point p;` does not. */
  needsBody?: readonly string[];
}

const javascriptDefinitions: Record<string, SymbolKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  class_declaration: 'class',
  method_definition: 'method',
};

const typescriptDefinitions: Record<string, SymbolKind> = {
  ...javascriptDefinitions,
  abstract_class_declaration: 'class',
  interface_declaration: 'interface',
  type_alias_declaration: 'type',
  enum_declaration: 'enum',
  internal_module: 'namespace',
  module: 'module',
};

const typescript: Omit<LanguageSpec, 'grammar' | 'extensions'> = {
  definitions: typescriptDefinitions,
  wrappers: ['export_statement', 'ambient_declaration', 'expression_statement'], // namespace X {} is an expression statement
  transparent: [],
  leading: ['comment'],
  variableFunctions: true,
};

const cFamily = {
  needsBody: ['struct_specifier', 'union_specifier', 'enum_specifier', 'class_specifier'],
  transparent: ['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list'],
  leading: ['comment'],
};

export const languages = {
  typescript: { grammar: 'typescript', extensions: ['.ts', '.mts', '.cts'], ...typescript },
  tsx: { grammar: 'tsx', extensions: ['.tsx'], ...typescript },
  javascript: {
    grammar: 'javascript',
    extensions: ['.js', '.mjs', '.cjs', '.jsx'],
    definitions: javascriptDefinitions,
    wrappers: ['export_statement'],
    transparent: [],
    leading: ['comment'],
    variableFunctions: true,
  },
  python: {
    grammar: 'python',
    extensions: ['.py', '.pyi'],
    definitions: { function_definition: 'function', class_definition: 'class' },
    wrappers: ['decorated_definition'],
    transparent: [],
    leading: ['comment'],
  },
  c: {
    grammar: 'c',
    extensions: ['.c', '.h'],
    definitions: { function_definition: 'function', struct_specifier: 'struct', union_specifier: 'struct', enum_specifier: 'enum', type_definition: 'type' },
    wrappers: [],
    ...cFamily,
  },
  cpp: {
    grammar: 'cpp',
    extensions: ['.cc', '.cpp', '.cxx', '.c++', '.hh', '.hpp', '.hxx', '.h++', '.ipp'],
    definitions: {
      function_definition: 'function',
      class_specifier: 'class',
      struct_specifier: 'struct',
      union_specifier: 'struct',
      enum_specifier: 'enum',
      namespace_definition: 'namespace',
      type_definition: 'type',
    },
    wrappers: ['template_declaration'],
    ...cFamily,
  },
  java: {
    grammar: 'java',
    extensions: ['.java'],
    definitions: {
      class_declaration: 'class',
      record_declaration: 'class',
      interface_declaration: 'interface',
      annotation_type_declaration: 'interface',
      enum_declaration: 'enum',
      method_declaration: 'method',
      constructor_declaration: 'method',
      compact_constructor_declaration: 'method',
    },
    wrappers: [],
    transparent: [],
    leading: ['line_comment', 'block_comment'],
  },
  go: {
    grammar: 'go',
    extensions: ['.go'],
    definitions: { function_declaration: 'function', method_declaration: 'method', type_declaration: 'type' },
    wrappers: [],
    transparent: [],
    leading: ['comment'],
  },
  rust: {
    grammar: 'rust',
    extensions: ['.rs'],
    definitions: {
      function_item: 'function',
      struct_item: 'struct',
      union_item: 'struct',
      enum_item: 'enum',
      trait_item: 'trait',
      impl_item: 'impl',
      mod_item: 'module',
      type_item: 'type',
      macro_definition: 'function',
    },
    wrappers: [],
    transparent: [],
    leading: ['line_comment', 'block_comment', 'attribute_item'],
  },
} as const satisfies Record<string, LanguageSpec>;

export type CodeLanguage = keyof typeof languages;
export const codeLanguages = Object.keys(languages) as [CodeLanguage, ...CodeLanguage[]];

/** The language of a file name or path by its extension (`src/app.tsx` → tsx), if supported. */
export function languageForPath(path: string): CodeLanguage | undefined {
  const name = path.split(/[\\/]/).pop()!.toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const extension = name.slice(dot);
  return codeLanguages.find((language) => (languages[language].extensions as readonly string[]).includes(extension));
}

/** Every extension with its language, for error messages: `.ts (typescript), .py (python), …`. */
export function describeExtensions(): string {
  return codeLanguages.map((language) => `${language} (${languages[language].extensions.join(' ')})`).join(', ');
}
