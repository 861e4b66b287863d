/**
 * Pure domain rules of the documents capability (issue 3): document types, numbering, workflow state
 * machines, edXML status codes, deadlines, inbox boxes and visibility. No I/O; `now` is always passed in.
 */
export * from './text';
export * from './calendar';
export * from './markings';
export * from './document-types';
export * from './numbering';
export * from './workflow';
export * from './status-codes';
export * from './deadlines';
export * from './inbox';
export * from './access';
