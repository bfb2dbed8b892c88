// Public face of the sources stage: the file tailer and the ingest spool.
export { createFileSources } from './file-sources.ts';
export { createIngestSpool } from './ingest-spool.ts';
export type { FileSources, FileSourcesOptions, IngestPart, IngestSpool, IngestSpoolOptions, SourceStatus } from './types.ts';
