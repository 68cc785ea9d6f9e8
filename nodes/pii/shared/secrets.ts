import { PipelaneError } from '../../../src/node-kit/index.js';

const keyBytes = 32;

/**
 * The 256-bit key in the environment variable `name`, read when called (at run time, never at
 * load). Accepts 64 hex digits or base64/base64url of 32 bytes. Errors name the variable, never
 * its value.
 */
export function readKey(name: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const value = env[name]?.trim();
  if (value === undefined || value === '') {
    throw new PipelaneError('MISSING_ENV_VARIABLE', `Environment variable ${name} (config keyEnv) is not set; the encrypt operator and pii.deanonymize need its key.`, {
      hint: `Set ${name} to a 256-bit key, e.g. the output of \`openssl rand -base64 32\`, in the environment of the process that runs the pipeline.`,
      path: '/config/keyEnv',
    });
  }
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : /^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value) ? Buffer.from(value, 'base64') : undefined;
  if (key?.length !== keyBytes) {
    throw new PipelaneError('PII_KEY_INVALID', `Environment variable ${name} (config keyEnv) does not hold a 256-bit key.`, {
      hint: `Put 64 hex digits or 32 bytes in base64 in ${name}, e.g. the output of \`openssl rand -base64 32\`.`,
      path: '/config/keyEnv',
    });
  }
  return key;
}

