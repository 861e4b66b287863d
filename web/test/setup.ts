/**
 * Setup of the web component tests (jsdom): the i18n resources (Vietnamese), and the Web APIs jsdom lacks
 * that the client code reaches for (TextEncoder for graphql-sse, fetch/Response from Node for urql).
 */
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
// i18next initialises synchronously with the bundled JSON resources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../src/i18n');
