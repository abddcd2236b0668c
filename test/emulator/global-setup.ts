// Vitest globalSetup for browser-mode tests: the emulator must run in Node, so it starts here
// (with its opt-in /__emulator/ control routes, for faults and the request log) and the page
// learns its URL through provide/inject: `inject('emulatorUrl')` from 'vitest'.

import type { TestProject } from 'vitest/node';
import { startEmulator } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The emulator's Graph root, e.g. http://127.0.0.1:34567 (without /beta). */
    emulatorUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator({ control: true });
  project.provide('emulatorUrl', emulator.url);
  return () => emulator.close();
}
