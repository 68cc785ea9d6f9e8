import { z } from 'zod';
import { defineNode, PipelaneError } from '../../../src/node-kit/index.js';
import { toDocuments } from '../shared/documents.js';
import { loadGrammar, withSyntaxTree } from './grammars.js';
import { codeLanguages, describeExtensions, languageForPath, languages, type CodeLanguage } from './languages.js';
import { readSource } from './read-source.js';
import { collectSymbols } from './symbols.js';

const config = z.object({
  language: z
    .enum(codeLanguages)
    .optional()
    .describe('Language of every input; default: from the file extension in meta.source (or the file name)'),
  size: z.number().int().min(1).default(1500).describe('Maximum characters per chunk (UTF-16 code units)'),
});

function unsupported(source: string | undefined): PipelaneError {
  const extension = source?.match(/\.[^./\\]+$/)?.[0];
  const reason =
    source === undefined
      ? 'the input has no meta.source to take a file extension from'
      : extension === undefined
        ? `"${source}" has no file extension`
        : `no parser for "${extension}" files`;
  return new PipelaneError('CODE_LANGUAGE_UNSUPPORTED', `chunk.code cannot chunk ${source ? `"${source}"` : 'this input'}: ${reason}. Supported languages: ${describeExtensions()}.`, {
    hint: `Set config.language to one of ${codeLanguages.join(', ')} if the code is in one of them; send other files to chunk.text.`,
    path: '/config/language',
    details: { source, extension, supported: [...codeLanguages] },
  });
}

/** Offsets of every line start, for 1-based line numbers. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}

export default defineNode({
  type: 'chunk.code',
  title: 'Code chunker',
  description:
    'Splits source code at function, class and method boundaries with tree-sitter parsers (TypeScript, TSX, JavaScript, ' +
    'Python, C, C++, Java, Go, Rust): one chunk per definition with its leading comments, a definition larger than `size` ' +
    'cut at its methods then at lines, code between definitions grouped. Metadata: language, symbol, kind, parent, ' +
    'startLine, endLine, start, end.',
  inputs: ['text', 'file'],
  outputs: ['documents'],
  config,
  examples: [
    { title: 'Language from each file extension', config: { size: 1500 } },
    { title: 'Python snippets without a file name', config: { language: 'python', size: 2000 } },
  ],
  async open(ctx) {
    if (ctx.config.language) await loadGrammar(ctx.config.language);
  },
  async process(item, ctx) {
    const { text, meta } = await readSource(item, ctx.signal);
    const language: CodeLanguage | undefined = ctx.config.language ?? (meta.source ? languageForPath(meta.source) : undefined);
    if (language === undefined) throw unsupported(meta.source);
    const { symbols, syntaxErrors } = await withSyntaxTree(language, text, (tree) => ({
      symbols: collectSymbols(text, tree.rootNode, languages[language], ctx.config.size),
      syntaxErrors: tree.rootNode.hasError,
    }));
    if (syntaxErrors) ctx.warn(`${meta.source ?? 'The input'} has syntax errors for the ${language} parser: chunks around them may be coarse.`);
    // loaded on first use (its Intl.Segmenters are slow to build): keeps `pipelane mcp` start-up under 1 s
    const { chunkCode } = await import('./code-chunks.js');
    const chunks = chunkCode(text, symbols, ctx.config.size);
    if (chunks.length === 0) ctx.warn(`${meta.source ?? 'The input'} is empty or only whitespace: no chunks.`);
    const starts = lineStarts(text);
    const documents = toDocuments(
      text,
      meta,
      chunks.map(({ start, end, ...chunk }) => ({
        start,
        end,
        metadata: { language, ...chunk, startLine: lineOf(starts, start), endLine: lineOf(starts, end - 1) },
      })),
    );
    ctx.setAttributes({ 'chunk.count': documents.length, 'code.language': language, 'code.symbols': symbols.length });
    await ctx.emit('documents', documents);
  },
});
