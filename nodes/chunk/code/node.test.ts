import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type Document, type LaneName } from '../../../src/node-kit/index.js';
import { loadGrammar } from './grammars.js';
import node from './node.js';

async function chunk(text: string, source: string | undefined, config: Record<string, unknown> = {}) {
  const result = await runNode(node, { config, items: [{ item: { text, meta: source === undefined ? {} : { source } } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  const documents = result.emitted[0]!.item as Document[];
  assertSlices(text, documents);
  return { documents, warnings: result.warnings };
}

function assertSlices(text: string, documents: Document[]): void {
  const lines = text.split('\n');
  for (const document of documents) {
    const { start, end, startLine, endLine } = document.metadata as Record<string, number>;
    assert.equal(text.slice(start, end), document.text, `text.slice(${start}, ${end}) === chunk.text`);
    assert.ok(lines[startLine! - 1]!.includes(document.text.split('\n')[0]!), `startLine ${startLine}`);
    assert.ok(lines[endLine! - 1]!.includes(document.text.split('\n').at(-1)!), `endLine ${endLine}`);
  }
}

/** Symbols of the chunks (of one kind), code between definitions left out. */
const named = (documents: Document[], kind?: string) =>
  documents
    .filter((document) => (kind === undefined ? document.metadata.symbol !== undefined : document.metadata.kind === kind))
    .map((document) => document.metadata.symbol);

const typescript = `import { readFile } from 'node:fs/promises';

/** Adds two numbers. */
export function add(a: number, b: number): number {
  return a + b;
}

// Subtracts b from a.
export const subtract = (a: number, b: number): number => a - b;

async function load(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

console.log(add(1, 2), subtract(3, 1));
`;

test('a TypeScript file with three functions yields three function chunks with their names and leading comments', async () => {
  const { documents } = await chunk(typescript, 'src/math.ts');
  assert.deepEqual(named(documents, 'function'), ['add', 'subtract', 'load']);
  assert.deepEqual(documents.map((document) => document.metadata.kind), ['code', 'function', 'function', 'function', 'code']);
  const [, add, subtract] = documents;
  assert.ok(add!.text.startsWith('/** Adds two numbers. */\nexport function add('), 'the JSDoc stays with its function');
  assert.ok(subtract!.text.startsWith('// Subtracts b from a.\nexport const subtract'));
  assert.deepEqual([add!.metadata.startLine, add!.metadata.endLine], [3, 6]);
  assert.equal(add!.metadata.language, 'typescript');
});

const python = `import os


class Greeter:
    """Greets people by name."""

    greeting = "Hello"

    def __init__(self, name):
        """Remember the name."""
        self.name = name

    # Used by the CLI.
    @property
    def message(self):
        return f"{self.greeting}, {self.name}"


print(Greeter(os.environ.get("USER", "you")).message)
`;

test('a Python class with two methods: one class chunk that fits, or a header and two method chunks when cut', async () => {
  const whole = await chunk(python, 'greeter.py');
  const greeter = whole.documents.find((document) => document.metadata.symbol === 'Greeter')!;
  assert.equal(greeter.metadata.kind, 'class');
  assert.deepEqual(greeter.metadata.symbols, ['Greeter', 'Greeter.__init__', 'Greeter.message']);

  const cut = await chunk(python, 'greeter.py', { size: 120 });
  assert.deepEqual(
    cut.documents.map((document) => [document.metadata.kind, document.metadata.symbol, document.metadata.parent]),
    [['code', undefined, undefined], ['class', 'Greeter', undefined], ['method', '__init__', 'Greeter'], ['method', 'message', 'Greeter'], ['code', undefined, undefined]],
  );
  const [, header, init, message] = cut.documents;
  assert.equal(header!.text, 'class Greeter:\n    """Greets people by name."""\n\n    greeting = "Hello"');
  assert.match(init!.text, /^def __init__\(self, name\):\n\s+"""Remember the name\."""/, 'the docstring stays in its method');
  assert.ok(message!.text.startsWith('# Used by the CLI.\n    @property\n    def message(self):'), 'comment and decorator stay with the method');
});

const snippets: Array<[string, string, string[]]> = [
  [
    'main.go',
    'package main\n\nimport "fmt"\n\n// Add adds two ints.\nfunc Add(a, b int) int { return a + b }\n\ntype Counter struct{ n int }\n\n// Inc counts one more.\nfunc (c *Counter) Inc() { c.n++ }\n\nfunc main() {\n\tfmt.Println(Add(1, 2))\n}\n',
    ['Add', 'Counter', 'Inc', 'main'],
  ],
  [
    'Hello.java',
    'package demo;\n\nimport java.util.List;\n\n/** Says hello. */\npublic class Hello {\n  private final String name;\n\n  Hello(String name) { this.name = name; }\n\n  /** The greeting. */\n  public String greet() {\n    return "Hello " + name;\n  }\n\n  public static void main(String[] args) {\n    System.out.println(new Hello("you").greet());\n  }\n}\n',
    ['Hello', 'Hello', 'greet', 'main'],
  ],
  [
    'add.c',
    '#include <stdio.h>\n\nstruct point { int x; int y; };\n\n/* Adds two ints. */\nstatic int add(int a, int b) {\n  return a + b;\n}\n\nint main(void) {\n  printf("%d\\n", add(1, 2));\n  return 0;\n}\n',
    ['point', 'add', 'main'],
  ],
  [
    'counter.cpp',
    '#include <iostream>\n\nnamespace demo {\n\nclass Counter {\n public:\n  void increment() { ++value_; }\n  int value() const { return value_; }\n\n private:\n  int value_ = 0;\n};\n\n}  // namespace demo\n\ntemplate <typename T>\nT twice(T x) { return x + x; }\n\nint main() {\n  demo::Counter counter;\n  counter.increment();\n  std::cout << twice(counter.value());\n}\n',
    ['demo', 'Counter', 'increment', 'value', 'twice', 'main'],
  ],
];

test('Go, Java, C and C++ snippets yield their function names (cut small enough to name the methods)', async () => {
  for (const [source, text, expected] of snippets) {
    const { documents } = await chunk(text, source, { size: 60 });
    const names = documents.map((document) => document.metadata.symbol).filter((name) => name !== undefined);
    assert.deepEqual([...new Set(names)], [...new Set(expected)], source);
    const whole = await chunk(text, source);
    const defined = whole.documents.flatMap((document) => document.metadata.symbols as string[]);
    for (const name of expected) assert.ok(defined.some((qualified) => qualified.split('.').at(-1) === name), `${source}: ${name} in ${defined}`);
  }
});

test('kinds, parents and receivers: Go methods name their type, C++ methods their class, Java constructors are methods', async () => {
  const go = await chunk(snippets[0]![1], 'main.go');
  assert.deepEqual(
    go.documents.filter((document) => document.metadata.symbol).map((document) => [document.metadata.symbol, document.metadata.kind, document.metadata.parent ?? null]),
    [['Add', 'function', null], ['Counter', 'struct', null], ['Inc', 'method', 'Counter'], ['main', 'function', null]],
  );
  assert.ok(go.documents.find((document) => document.metadata.symbol === 'Inc')!.text.startsWith('// Inc counts one more.\nfunc (c *Counter) Inc()'));
  const cpp = await chunk(snippets[3]![1], 'counter.cpp', { size: 60 });
  const increment = cpp.documents.find((document) => document.metadata.symbol === 'increment')!;
  assert.deepEqual([increment.metadata.kind, increment.metadata.parent, increment.metadata.symbols], ['method', 'Counter', ['demo.Counter.increment']]);
  assert.ok(cpp.documents.find((document) => document.metadata.symbol === 'twice')!.text.startsWith('template <typename T>'));
  const java = await chunk(snippets[1]![1], 'Hello.java', { size: 60 });
  const constructor = java.documents.find((document) => document.text.startsWith('Hello(String name)'))!;
  assert.deepEqual([constructor.metadata.kind, constructor.metadata.symbol, constructor.metadata.parent], ['method', 'Hello', 'Hello']);
});

test('Rust: functions, impl blocks with methods, attributes stay with their item', async () => {
  const text = 'use std::fmt;\n\n/// A point.\n#[derive(Debug)]\nstruct Point { x: i32 }\n\nimpl Point {\n    fn new(x: i32) -> Self { Point { x } }\n}\n\nfn main() {\n    println!("{:?}", Point::new(1));\n}\n';
  const { documents } = await chunk(text, 'main.rs');
  assert.deepEqual(documents.map((document) => [document.metadata.kind, document.metadata.symbol]), [['code', undefined], ['struct', 'Point'], ['impl', 'Point'], ['function', 'main']]);
  assert.ok(documents[1]!.text.startsWith('/// A point.\n#[derive(Debug)]\nstruct Point'));
  assert.deepEqual(documents[2]!.metadata.symbols, ['Point', 'Point.new']);
});

test('a function larger than size is cut at blank lines, then lines, every piece named after it', async () => {
  const body = Array.from({ length: 40 }, (_, index) => `  const value${index} = compute(${index});${index % 8 === 7 ? '\n' : ''}`).join('\n');
  const text = `export function big(): number {\n${body}\n  return 0;\n}\n\nexport function small() {}\n`;
  const { documents } = await chunk(text, 'big.ts', { size: 200 });
  const pieces = documents.filter((document) => document.metadata.symbol === 'big');
  assert.ok(pieces.length >= 6, `${pieces.length} pieces`);
  for (const piece of pieces) {
    assert.ok(piece.text.length <= 200);
    assert.equal(piece.metadata.kind, 'function');
    assert.match(piece.text, /^(export function big|const value\d+|return 0)/, 'pieces start at a line');
  }
  assert.equal(pieces.at(-1)!.text.endsWith('return 0;\n}'), true, 'the closing brace joins the last piece');
  assert.deepEqual(named(documents).at(-1), 'small');
});

test('definitions inside a large wrapper (an IIFE around a module) are found; a small one stays whole', async () => {
  const functions = Array.from({ length: 6 }, (_, index) => `  /** Step ${index}. */\n  function step${index}(value) {\n    return value + ${index};\n  }\n`).join('\n');
  const text = `(function (exports) {\n  'use strict';\n\n${functions}\n  exports.run = step0;\n})(module.exports);\n`;
  const { documents } = await chunk(text, 'bundle.js', { size: 200 });
  assert.deepEqual(named(documents, 'function'), ['step0', 'step1', 'step2', 'step3', 'step4', 'step5']);
  assert.ok(documents.find((document) => document.metadata.symbol === 'step2')!.text.startsWith('/** Step 2. */'));
  const small = await chunk('(function () {\n  function inner() {}\n  inner();\n})();\n', 'small.js', { size: 200 });
  assert.deepEqual(small.documents.map((document) => document.metadata.kind), ['code']);
});

test('the real source of the shared splitter: every exported function is a chunk of its own', async () => {
  const text = readFileSync(new URL('../shared/split-recursively.ts', import.meta.url), 'utf8');
  const exported = Array.from(text.matchAll(/^export function (\w+)/gm), (found) => found[1]);
  assert.ok(exported.length >= 4);
  const { documents, warnings } = await chunk(text, 'nodes/chunk/shared/split-recursively.ts');
  assert.deepEqual(warnings, []);
  const functions = named(documents, 'function');
  for (const name of exported) assert.ok(functions.includes(name), `${name} in ${functions}`);
  for (const document of documents) assert.ok(document.text.length <= 1500);
});

test('language from config, or from the extension of meta.source (tsx, jsx, h, hpp)', async () => {
  const { documents } = await chunk('def hello():\n    return 1\n', undefined, { language: 'python' });
  assert.deepEqual(named(documents), ['hello']);
  assert.equal(documents[0]!.metadata.language, 'python');
  const tsx = await chunk('export function App() {\n  return <div>Hi</div>;\n}\n', 'src/App.tsx');
  assert.deepEqual([tsx.documents[0]!.metadata.language, tsx.documents[0]!.metadata.symbol], ['tsx', 'App']);
  const header = await chunk('int add(int a, int b);\nstatic inline int one(void) { return 1; }\n', 'include/add.h');
  assert.deepEqual(named(header.documents, 'function'), ['one']);
  const forced = await chunk('function f() {}\n', 'script.py', { language: 'javascript' });
  assert.equal(forced.documents[0]!.metadata.language, 'javascript');
  const defaults = await chunk('export default function () {\n  return 1;\n}\n', 'default.mjs');
  assert.deepEqual([defaults.documents[0]!.metadata.kind, defaults.documents[0]!.metadata.symbol], ['function', 'default']);
});

test('an unknown language is CODE_LANGUAGE_UNSUPPORTED listing the supported ones', async () => {
  for (const [meta, reason] of [[{ source: 'app.rb' }, /no parser for "\.rb" files/], [{ source: 'Makefile' }, /has no file extension/], [{}, /no meta\.source/]] as const) {
    const result = await runNode(node, { items: [{ item: { text: 'puts 1', meta } }] });
    assert.equal(result.errors.length, 1);
    const [error] = result.errors;
    assert.equal(error!.code, 'CODE_LANGUAGE_UNSUPPORTED');
    assert.equal(error!.path, '/config/language');
    assert.match(error!.message, reason);
    assert.match(error!.message, /typescript \(\.ts .*python \(\.py .*c \(\.c \.h\).*cpp .*java .*go \(\.go\).*rust \(\.rs\)/);
    assert.match(error!.hint, /config\.language/);
  }
  assert.equal(node.config.safeParse({ language: 'ruby' }).success, false, 'a config typo fails validation');
});

test('file items: bytes or a path; bytes that are not UTF-8 are CODE_NOT_TEXT', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'chunk-code-'));
  try {
    const path = join(folder, 'main.go');
    writeFileSync(path, snippets[0]![1]);
    const bytes = new TextEncoder().encode(snippets[0]![1]);
    const items = [
      { lane: 'file' as LaneName, item: { name: 'main.go', mime: 'text/x-go', bytes, meta: {} } },
      { lane: 'file' as LaneName, item: { name: 'main.go', mime: 'text/x-go', path, meta: { source: 'cmd/main.go' } } },
      { lane: 'file' as LaneName, item: { name: 'blob.go', mime: 'application/octet-stream', bytes: new Uint8Array([0xff, 0xfe, 0x00, 0xc3]), meta: {} } },
    ];
    const result = await runNode(node, { items });
    assert.deepEqual(result.problems, []);
    assert.equal(result.emitted.length, 2);
    const [fromBytes, fromPath] = result.emitted.map((emitted) => emitted.item as Document[]);
    assert.deepEqual(named(fromBytes!), ['Add', 'Counter', 'Inc', 'main']);
    assert.equal(fromBytes![0]!.metadata.source, 'main.go', 'the file name is the source');
    assert.equal(fromPath![0]!.metadata.source, 'cmd/main.go');
    assert.deepEqual(result.errors.map((error) => error.code), ['CODE_NOT_TEXT']);
    assert.match(result.errors[0]!.message, /blob\.go.*not UTF-8/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('ids are stable across runs; grammars load once per process', async () => {
  const first = await chunk(typescript, 'src/math.ts');
  const second = await chunk(typescript, 'src/math.ts');
  assert.deepEqual(first.documents.map((document) => document.id), second.documents.map((document) => document.id));
  assert.equal(new Set(first.documents.map((document) => document.id)).size, first.documents.length);
  assert.equal(loadGrammar('typescript'), loadGrammar('typescript'), 'the same promise: one load');
});

test('syntax errors are a warning, the rest is still chunked', async () => {
  const { documents, warnings } = await chunk('function ok() { return 1; }\n\nfunction broken( {\n', 'broken.js');
  assert.equal(named(documents)[0], 'ok');
  assert.match(warnings[0]!, /broken\.js has syntax errors for the javascript parser/);
});
