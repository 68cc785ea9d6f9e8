import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPipelaneError } from '../../src/node-kit/index.js';
import { accessPolicy, checkBearer, isLoopbackHost, parseListenAddress, rejectHostOrOrigin } from '../../src/mcp/transports/http-guard.js';

test('parseListenAddress reads [host:]port with 127.0.0.1 as the default host', () => {
  assert.deepEqual(parseListenAddress('3000'), { host: '127.0.0.1', port: 3000 });
  assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseListenAddress('localhost:8080'), { host: 'localhost', port: 8080 });
  assert.deepEqual(parseListenAddress('[::1]:3000'), { host: '::1', port: 3000 });
  assert.deepEqual(parseListenAddress('0.0.0.0:65535'), { host: '0.0.0.0', port: 65_535 });
  for (const bad of ['', 'abc', '3000x', '65536', 'host:', ':3000', '::1:3000', 'a b:1']) {
    assert.throws(() => parseListenAddress(bad), (error: unknown) => isPipelaneError(error) && error.code === 'USAGE', bad);
  }
});

test('isLoopbackHost knows localhost, 127.0.0.0/8 and ::1, and nothing else', () => {
  for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
    assert.equal(isLoopbackHost(host), true, host);
  }
  for (const host of ['0.0.0.0', '::', '192.168.1.2', '10.0.0.1', 'example.com', 'localhost.example.com', '128.0.0.1', '::ffff:10.0.0.1']) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

test('accessPolicy requires a token off loopback and allows loopback names plus the listed ones on loopback', () => {
  assert.throws(
    () => accessPolicy({ host: '0.0.0.0' }),
    (error: unknown) => isPipelaneError(error) && error.code === 'MCP_HTTP_TOKEN_REQUIRED' && /PIPELANE_MCP_TOKEN/.test(error.hint),
  );
  assert.throws(() => accessPolicy({ host: '0.0.0.0', token: '' }), /bearer token/);
  const open = accessPolicy({ host: '0.0.0.0', token: 't' });
  assert.equal(open.allowedHostnames, undefined, 'with a token and no list, any Host is accepted');
  assert.deepEqual([...accessPolicy({ host: '0.0.0.0', token: 't', allowedHosts: ['Pipelane.Example'] }).allowedHostnames!], ['pipelane.example']);
  const local = accessPolicy({ host: '127.0.0.2', allowedHosts: ['box.lan', '::1'] });
  assert.deepEqual([...local.allowedHostnames!].sort(), ['127.0.0.1', '127.0.0.2', '[::1]', 'box.lan', 'localhost']);
  assert.equal(local.token, undefined);
});

test('rejectHostOrOrigin refuses foreign Host and Origin names whatever the port, and accepts loopback ones', () => {
  const policy = accessPolicy({ host: '127.0.0.1' });
  assert.equal(rejectHostOrOrigin({ host: '127.0.0.1:3000' }, policy), undefined);
  assert.equal(rejectHostOrOrigin({ host: 'localhost', origin: 'http://localhost:6274' }, policy), undefined);
  assert.equal(rejectHostOrOrigin({ host: '[::1]:9' }, policy), undefined);
  assert.match(rejectHostOrOrigin({ host: 'evil.example' }, policy)!, /Invalid Host: evil.example/);
  assert.match(rejectHostOrOrigin({ host: 'evil.example:3000' }, policy)!, /Invalid Host/);
  assert.match(rejectHostOrOrigin({ host: 'localhost.evil.example' }, policy)!, /Invalid Host/);
  assert.match(rejectHostOrOrigin({}, policy)!, /Missing Host/);
  assert.match(rejectHostOrOrigin({ host: 'localhost:3000', origin: 'http://evil.example' }, policy)!, /Invalid Origin/);
  assert.match(rejectHostOrOrigin({ host: 'localhost:3000', origin: 'null' }, policy)!, /Invalid Origin/);
  // Off loopback with a token and no list: any Host, but a browser Origin must be loopback or the Host itself.
  const open = accessPolicy({ host: '0.0.0.0', token: 't' });
  assert.equal(rejectHostOrOrigin({ host: 'box.lan:3000' }, open), undefined);
  assert.equal(rejectHostOrOrigin({ host: 'box.lan:3000', origin: 'http://box.lan:3000' }, open), undefined);
  assert.match(rejectHostOrOrigin({ host: 'box.lan:3000', origin: 'http://evil.example' }, open)!, /Invalid Origin/);
});

test('checkBearer tells a missing token from a wrong one and accepts only the exact token', () => {
  assert.equal(checkBearer(undefined, 'secret'), 'missing');
  assert.equal(checkBearer('Basic c2VjcmV0', 'secret'), 'missing');
  assert.equal(checkBearer('Bearer ', 'secret'), 'missing');
  assert.equal(checkBearer('Bearer secret', 'secret'), 'ok');
  assert.equal(checkBearer('bearer secret', 'secret'), 'ok');
  assert.equal(checkBearer('Bearer secret2', 'secret'), 'invalid');
  assert.equal(checkBearer('Bearer secre', 'secret'), 'invalid');
  assert.equal(checkBearer('Bearer SECRET', 'secret'), 'invalid');
});
