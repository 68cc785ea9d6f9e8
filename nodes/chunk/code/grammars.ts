import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type Parser from 'web-tree-sitter';
import { languages, type CodeLanguage } from './languages.js';

const require = createRequire(import.meta.url);

/** The tree-sitter runtime, loaded and started once per process on first use (keeps `pipelane mcp` start-up under 1 s). */
let runtime: Promise<typeof Parser> | undefined;
/** Grammars loaded so far: each .wasm is read once per process, on first use (no network). */
const grammars = new Map<CodeLanguage, Promise<Parser.Language>>();

function treeSitter(): Promise<typeof Parser> {
  runtime ??= import('web-tree-sitter').then(async ({ default: TreeSitter }) => {
    await TreeSitter.init();
    return TreeSitter;
  });
  return runtime;
}

function grammarPath(language: CodeLanguage): string {
  const folder = dirname(require.resolve('tree-sitter-wasms/package.json'));
  return join(folder, 'out', `tree-sitter-${languages[language].grammar}.wasm`);
}

/** The grammar of `language`, loaded the first time it is asked for and shared afterwards. */
export function loadGrammar(language: CodeLanguage): Promise<Parser.Language> {
  let grammar = grammars.get(language);
  if (grammar === undefined) {
    grammar = treeSitter().then((TreeSitter) => TreeSitter.Language.load(grammarPath(language)));
    grammars.set(language, grammar);
    grammar.catch(() => grammars.delete(language));
  }
  return grammar;
}

/**
 * Parses `text` and hands the tree to `read`; parser and tree live in WebAssembly memory and are
 * freed afterwards, so `read` must copy out what it needs.
 */
export async function withSyntaxTree<T>(language: CodeLanguage, text: string, read: (tree: Parser.Tree) => T): Promise<T> {
  const grammar = await loadGrammar(language);
  const parser = new (await treeSitter())();
  try {
    parser.setLanguage(grammar);
    const tree = parser.parse(text);
    try {
      return read(tree);
    } finally {
      tree.delete();
    }
  } finally {
    parser.delete();
  }
}
