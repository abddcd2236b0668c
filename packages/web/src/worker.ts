// The page's Web Worker: the analysis runs here, so a large drop never freezes the page, and
// progress comes back file by file.

import { analyse, type AnalyseOptions, type DroppedFile } from './analyse.ts';

self.onmessage = async (event: MessageEvent<{ run: number; files: DroppedFile[]; options: AnalyseOptions }>) => {
  const { run } = event.data;
  try {
    const analysis = await analyse(event.data.files, event.data.options, (done, total) => self.postMessage({ run, type: 'progress', done, total }));
    self.postMessage({ run, type: 'result', analysis });
  } catch (error) {
    self.postMessage({ run, type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
